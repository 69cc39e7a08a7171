# Helpers shared by every layer: warnings as errors on our own code only, optional sanitizers,
# and one library target per layer built from <layer>/src/*.cpp with <layer>/include public.

function(actpip_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                                             -Wno-error=deprecated-declarations)
    # GCC 12 reports false -Wrestrict, -Wstringop-* and -Warray-bounds positives inside
    # std::string's operator+ at -O2 (GCC bug 105329): off for that compiler only.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow
                                                 -Wno-stringop-overread -Wno-array-bounds)
    endif()
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
    target_include_directories(actpip_${layer} PUBLIC
        "$<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>" "$<INSTALL_INTERFACE:include>"
        PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")
    target_link_libraries(actpip_${layer} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    set_target_properties(actpip_${layer} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    actpip_set_warnings(actpip_${layer})
    actpip_set_sanitizers(actpip_${layer})
endfunction()
