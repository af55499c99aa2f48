#include "app/startuppages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace shoal::app {

namespace {

bool isSharedObjectOrSelf(const char *path, const char *self)
{
    return std::strstr(path, ".so") != nullptr || std::strcmp(path, self) == 0;
}

// The threads of this process: the entries of /proc/self/status (-1 when unreadable).
int threadCount()
{
    std::FILE *status = std::fopen("/proc/self/status", "re");
    if (!status)
        return -1;
    int threads = -1;
    char line[256];
    while (std::fgets(line, sizeof line, status)) {
        if (std::strncmp(line, "Threads:", 8) == 0)
            threads = int(std::strtol(line + 8, nullptr, 10));
    }
    std::fclose(status);
    return threads;
}

} // namespace

int trimStartupPages()
{
    // One thread only: no other can be loading a library into what was read as read-only.
    if (threadCount() != 1)
        return 0;
    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0)
        self[0] = '\0';
    std::FILE *smaps = std::fopen("/proc/self/smaps", "re");
    if (!smaps)
        return 0;
    struct Segment
    {
        unsigned long start;
        unsigned long end;
    };
    std::vector<Segment> segments;
    bool candidate = false;
    Segment current {};
    char line[4352];
    while (std::fgets(line, sizeof line, smaps)) {
        unsigned long start = 0;
        unsigned long end = 0;
        char perms[5] = {};
        int pathAt = 0;
        // A mapping's header: "start-end perms offset dev inode   path".
        if (std::sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &start, &end, perms, &pathAt) == 3
            && pathAt > 0) {
            char *path = line + pathAt;
            path[std::strcspn(path, "\n")] = '\0';
            candidate = perms[1] != 'w' && path[0] == '/' && isSharedObjectOrSelf(path, self);
            current = { start, end };
            continue;
        }
        // "Anonymous: N kB" follows the header: a private copy of any page rules it out.
        if (candidate && std::strncmp(line, "Anonymous:", 10) == 0) {
            if (std::strtol(line + 10, nullptr, 10) == 0)
                segments.push_back(current);
            candidate = false;
        }
    }
    std::fclose(smaps);
    int trimmed = 0;
    for (const Segment &segment : segments) {
        if (madvise(
                reinterpret_cast<void *>(segment.start), segment.end - segment.start, MADV_DONTNEED)
            == 0)
            ++trimmed;
    }
    return trimmed;
}

} // namespace shoal::app
