// How many members are in each status: one count per MemberStatus, whatever the protocol.
#pragma once

#include "model/member.h"

#include <array>

namespace shoal {

class StatusCounts final
{
public:
    int count(MemberStatus status) const { return m_counts.at(index(status)); }
    void add(MemberStatus status, int n = 1) { m_counts.at(index(status)) += n; }
    int total() const
    {
        int sum = 0;
        for (const int n : m_counts)
            sum += n;
        return sum;
    }
    bool operator==(const StatusCounts &other) const { return m_counts == other.m_counts; }
    bool operator!=(const StatusCounts &other) const { return !(*this == other); }

private:
    static std::size_t index(MemberStatus status) { return static_cast<std::size_t>(status); }

    std::array<int, kMemberStatusCount> m_counts {};
};

} // namespace shoal
