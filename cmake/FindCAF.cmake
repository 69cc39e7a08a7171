# Finds the C++ Actor Framework 0.17 as Debian's libcaf-dev installs it (no CMake config, no
# pkg-config) and defines imported targets CAF::core, CAF::io and CAF::openssl.
#   find_package(CAF 0.17 REQUIRED COMPONENTS core io openssl)
# Sets CAF_FOUND, CAF_VERSION, CAF_INCLUDE_DIR. Headers are SYSTEM includes.

find_path(CAF_INCLUDE_DIR NAMES caf/all.hpp caf/config.hpp)

if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
    file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_version_line
         REGEX "^#define CAF_VERSION [0-9]+")
    if(_caf_version_line MATCHES "CAF_VERSION ([0-9]+)")
        math(EXPR _caf_major "${CMAKE_MATCH_1} / 10000")
        math(EXPR _caf_minor "(${CMAKE_MATCH_1} / 100) % 100")
        math(EXPR _caf_patch "${CMAKE_MATCH_1} % 100")
        set(CAF_VERSION "${_caf_major}.${_caf_minor}.${_caf_patch}")
    endif()
endif()

if(NOT CAF_FIND_COMPONENTS)
    set(CAF_FIND_COMPONENTS core)
endif()
set(_caf_required_vars CAF_INCLUDE_DIR)
foreach(_comp IN LISTS CAF_FIND_COMPONENTS)
    find_library(CAF_${_comp}_LIBRARY NAMES caf_${_comp})
    if(CAF_${_comp}_LIBRARY)
        set(CAF_${_comp}_FOUND TRUE)
    endif()
    if(CAF_FIND_REQUIRED_${_comp})
        list(APPEND _caf_required_vars CAF_${_comp}_LIBRARY)
    endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF REQUIRED_VARS ${_caf_required_vars}
                                  VERSION_VAR CAF_VERSION HANDLE_COMPONENTS)

if(CAF_FOUND)
    find_package(Threads REQUIRED)
    # Targets are created once; a later find_package(CAF) (in a subdirectory) reuses them.
    set(_caf_created)
    foreach(_comp IN LISTS CAF_FIND_COMPONENTS)
        if(CAF_${_comp}_FOUND AND NOT TARGET CAF::${_comp})
            add_library(CAF::${_comp} UNKNOWN IMPORTED)
            set_target_properties(CAF::${_comp} PROPERTIES
                IMPORTED_LOCATION "${CAF_${_comp}_LIBRARY}"
                INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
                INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}")
            target_link_libraries(CAF::${_comp} INTERFACE Threads::Threads)
            list(APPEND _caf_created ${_comp})
        endif()
    endforeach()
    if("io" IN_LIST _caf_created AND TARGET CAF::core)
        target_link_libraries(CAF::io INTERFACE CAF::core)
    endif()
    if("openssl" IN_LIST _caf_created)
        target_link_libraries(CAF::openssl INTERFACE CAF::io OpenSSL::SSL)
    endif()
    unset(_caf_created)
endif()
mark_as_advanced(CAF_INCLUDE_DIR CAF_core_LIBRARY CAF_io_LIBRARY CAF_openssl_LIBRARY)
