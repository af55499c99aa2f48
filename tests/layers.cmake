# Fails when a layer includes upward (docs: DESIGN, "Two protocols: the layer between"):
#   model/    nothing from cluster/, net/, ui/ or app/
#   cluster/  nothing from net/, ui/ or app/
#   net/      nothing from ui/ or app/; the shared part (net/*) nothing from net/swim/
#   history/  nothing from net/, ui/ or app/ (the stored history: model/ and cluster/ below it)
#   ui/       nothing from net/ or app/
#   app/      the headless forms (the `shoal` executable) nothing from ui/: only the window's
#             files (shoal-window: windowcommand.cpp, joinoptions.*) see the widgets
# and only net/swim/ knows swim-protocol's wire: its codec, pickle, packets and packet JSON
# (besides app/codeccommands.cpp, which is `shoal decode|encode`, the wire tool itself); only
# net/serf/ knows Serf's wire (msgpack, LZW, crypto, memberlist and Serf messages, the engine):
# app/ sees its service, backend factory and local cluster; net/serf/ and net/swim/ never
# include each other, and the shared net/* neither.
# Run: cmake -DSOURCE_DIR=<repo> -P tests/layers.cmake
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "layers: pass -DSOURCE_DIR=<the repository>")
endif()

set(violations "")

# check(<glob relative to SOURCE_DIR> <regex of forbidden include paths> <why>)
function(check pattern forbidden why)
    file(GLOB files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${pattern})
    foreach(file IN LISTS files)
        file(STRINGS ${SOURCE_DIR}/${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
        foreach(line IN LISTS lines)
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" path "${line}")
            if(path MATCHES "${forbidden}")
                list(APPEND violations "${file}: includes ${path} (${why})")
            endif()
        endforeach()
    endforeach()
    set(violations "${violations}" PARENT_SCOPE)
endfunction()

foreach(ext cpp h)
    check("model/*.${ext}" "^(cluster|net|ui|app)/" "model/ is below every other layer")
    check("cluster/*.${ext}" "^(net|ui|app)/" "cluster/ knows no protocol and no widget")
    check("history/*.${ext}" "^(net|ui|app)/" "history/ sees model/ and cluster/ only")
    check("net/*.${ext}" "^(ui|app|net/swim|net/serf)/" "net/ is what both protocols share")
    check("net/swim/*.${ext}" "^(ui|app|net/serf)/" "a protocol sees model/, cluster/ and net/ only")
    check("net/serf/*.${ext}" "^(ui|app|net/swim)/" "a protocol sees model/, cluster/ and net/ only")
    check("ui/*.${ext}" "^(net|app)/" "ui/ sees model/, cluster/ and history/ only")
    check("app/*.${ext}" "^net/swim/(codec|pickle|packet|packetjson|hmacsha256)\\.h$"
        "only net/swim/ knows swim-protocol's wire")
    check("app/*.${ext}"
        "^net/serf/(msgpack|lzw|crypto|memberlist|serfmessages|serfengine)\\.h$"
        "only net/serf/ knows Serf's wire")
    check("ui/*.${ext}" "^net/serf/" "ui/ sees model/ and cluster/ only")
    check("app/*.${ext}" "^ui/" "the headless forms never load the window's libraries")
endforeach()
list(FILTER violations EXCLUDE REGEX "^app/codeccommands\\.cpp: ")
list(FILTER violations EXCLUDE REGEX "^app/(windowcommand\\.cpp|joinoptions\\.(h|cpp)): includes ui/")

list(LENGTH violations count)
if(count GREATER 0)
    list(JOIN violations "\n  " text)
    message(FATAL_ERROR "layers: ${count} upward include(s):\n  ${text}")
endif()
message(STATUS "layers: every include points down")
