# NOT BUILT HERE. CMake find module for the Terminal.Esp32Ec interop assembly, in the form nf-interpreter's build
# expects for an entry of NF_INTEROP_ASSEMBLIES (see ../README.md). Copy this folder to
# <nf-interpreter>/InteropAssemblies/Terminal.Esp32Ec and this file to <nf-interpreter>/CMake/Modules/.

set(BASE_PATH_FOR_THIS_MODULE "${BASE_PATH_FOR_CLASS_LIBRARIES_MODULES}/Terminal.Esp32Ec")

list(APPEND Terminal.Esp32Ec_INCLUDE_DIRS "${BASE_PATH_FOR_THIS_MODULE}")

set(Terminal.Esp32Ec_SRCS
    Terminal_Esp32Ec.cpp
    Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic.cpp
)

foreach(SRC_FILE ${Terminal.Esp32Ec_SRCS})
    set(Terminal.Esp32Ec_SRC_FILE SRC_FILE-NOTFOUND)
    find_file(Terminal.Esp32Ec_SRC_FILE ${SRC_FILE} PATHS "${BASE_PATH_FOR_THIS_MODULE}" CMAKE_FIND_ROOT_PATH_BOTH)
    list(APPEND Terminal.Esp32Ec_SOURCES ${Terminal.Esp32Ec_SRC_FILE})
endforeach()

include(FindPackageHandleStandardArgs)
FIND_PACKAGE_HANDLE_STANDARD_ARGS(Terminal.Esp32Ec DEFAULT_MSG Terminal.Esp32Ec_INCLUDE_DIRS Terminal.Esp32Ec_SOURCES)
