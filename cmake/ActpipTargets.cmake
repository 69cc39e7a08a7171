# Helpers shared by every layer: warnings as errors on our own code only, optional sanitizers,
# and one library target per layer built from <layer>/src/*.cpp with <layer>/include public.

# ACTPIP_WARNING_FLAGS: what actpip_set_warnings gives a target (tests/hygiene compiles every
# public header alone with them too).
set(ACTPIP_WARNING_FLAGS -Wall -Wextra -Wpedantic -Werror -Wno-error=deprecated-declarations)
# GCC 12 reports false -Wrestrict, -Wstringop-* and -Warray-bounds positives inside
# std::string's operator+ at -O2 (GCC bug 105329): off for that compiler only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    list(APPEND ACTPIP_WARNING_FLAGS -Wno-restrict -Wno-stringop-overflow -Wno-stringop-overread
                                     -Wno-array-bounds)
endif()

function(actpip_set_warnings target)
    target_compile_options(${target} PRIVATE ${ACTPIP_WARNING_FLAGS})
endfunction()

function(actpip_set_sanitizers target)
    if(ACTPIP_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                                 -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
endfunction()

# actpip_add_layer(<layer> [DEPS <targets>...] [SYSTEM_DEPS <targets>...])
# Creates the library actpip_<layer> with the alias actpip::<layer>.
function(actpip_add_layer layer)
    cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
    file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp")
    add_library(actpip_${layer} STATIC ${sources})
    add_library(actpip::${layer} ALIAS actpip_${layer})
    # installed as actpip::<layer> too (see actpip_install_package below)
    set_target_properties(actpip_${layer} PROPERTIES EXPORT_NAME ${layer})
    target_include_directories(actpip_${layer} PUBLIC
        "$<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>" "$<INSTALL_INTERFACE:include>"
        PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")
    target_link_libraries(actpip_${layer} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    set_target_properties(actpip_${layer} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    actpip_set_warnings(actpip_${layer})
    actpip_set_sanitizers(actpip_${layer})
endfunction()

# actpip_install_package()
# Install rules for `cmake --install`: the layer libraries (export set actpipTargets, namespace
# actpip::), the public headers, the actpip CLI, and a CMake package so that a host writes
#   find_package(actpip REQUIRED)
#   target_link_libraries(app PRIVATE actpip::actpip)   # actpip/api.hpp, actpip/embed.hpp
# Only the public headers are installed: actpip/api.hpp (standard library only) and
# actpip/embed.hpp (api.hpp and CAF), which tests/hygiene/check_layering.py keeps a closed set.
# The layers' own headers stay in the source tree; their static libraries are installed
# because a host links them.
# Only generates cmake_install.cmake: the build itself is unchanged.
function(actpip_install_package)
    include(GNUInstallDirs)
    include(CMakePackageConfigHelpers)
    set(cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/actpip")

    # actpip::actpip: what a host links. api.hpp needs nothing but actpip's include directory;
    # embed.hpp includes CAF, so CAF::core is this target's interface (the layers link CAF
    # privately). No Boost, OpenSSL or net flags reach a host: they are private to net.
    add_library(actpip_api INTERFACE)
    add_library(actpip::actpip ALIAS actpip_api)
    set_target_properties(actpip_api PROPERTIES EXPORT_NAME actpip)
    target_link_libraries(actpip_api INTERFACE actpip::actors CAF::core)
    target_compile_features(actpip_api INTERFACE cxx_std_17)

    set(layers)
    foreach(layer core net storage resolver actors)
        if(TARGET actpip_${layer})
            list(APPEND layers actpip_${layer})
        endif()
    endforeach()
    install(FILES "${PROJECT_SOURCE_DIR}/actors/include/actpip/api.hpp"
                  "${PROJECT_SOURCE_DIR}/actors/include/actpip/embed.hpp"
            DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/actpip")
    install(TARGETS ${layers} actpip_api EXPORT actpipTargets
            ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
            LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}") # include/: $<INSTALL_INTERFACE>
    if(TARGET actpip)
        install(TARGETS actpip RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
    endif()
    install(EXPORT actpipTargets NAMESPACE actpip:: DESTINATION "${cmake_dir}")

    configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/actpipConfig.cmake.in"
        "${PROJECT_BINARY_DIR}/actpipConfig.cmake" INSTALL_DESTINATION "${cmake_dir}")
    # 0.x: a minor release may break the API
    write_basic_package_version_file("${PROJECT_BINARY_DIR}/actpipConfigVersion.cmake"
        VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
    install(FILES "${PROJECT_BINARY_DIR}/actpipConfig.cmake"
                  "${PROJECT_BINARY_DIR}/actpipConfigVersion.cmake"
                  "${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake"
            DESTINATION "${cmake_dir}")
endfunction()
