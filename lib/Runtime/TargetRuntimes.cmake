#===- lib/Runtime/TargetRuntimes.cmake - libkiln_runtime.a for every target ------===#
#
# kiln-compile links the executables and libraries it makes against Kiln's
# runtime built for their target: lib/kiln/<triple>/libkiln_runtime.a next
# to the compiler's bin/. Each target whose Debian cross compiler
# (<triple>-g++, from g++-<arch>-linux-gnu) is installed gets one, built by
# lib/Runtime/CMakeLists.txt as a project of its own; KILN_AOT_TARGETS
# lists the triples tried.
#
#===------------------------------------------------------------------------===#
include(ExternalProject)

set(KILN_AOT_TARGETS "x86_64-linux-gnu;aarch64-linux-gnu;riscv64-linux-gnu"
  CACHE STRING "Target triples to build Kiln's runtime for (when <triple>-g++ exists)")

set(KILN_BUILT_RUNTIMES "")
foreach(triple IN LISTS KILN_AOT_TARGETS)
  find_program(KILN_CXX_${triple} ${triple}-g++)
  if(NOT KILN_CXX_${triple})
    message(STATUS "Kiln runtime for ${triple}: skipped (no ${triple}-g++)")
    continue()
  endif()
  string(REGEX REPLACE "-.*" "" arch "${triple}")
  set(launcher "")
  if(KILN_CCACHE)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${KILN_CCACHE})
  endif()
  ExternalProject_Add(kiln-runtime-${triple}
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/lib/Runtime
    BINARY_DIR ${PROJECT_BINARY_DIR}/runtimes/${triple}
    CMAKE_ARGS
      -DCMAKE_BUILD_TYPE=Release
      -DCMAKE_SYSTEM_NAME=Linux
      -DCMAKE_SYSTEM_PROCESSOR=${arch}
      -DCMAKE_CXX_COMPILER=${KILN_CXX_${triple}}
      ${launcher}
      -DKILN_RUNTIME_OUTPUT_DIR=${PROJECT_BINARY_DIR}/lib/kiln/${triple}
      -DKILN_OBJCOPY=${KILN_LLVM_ROOT}/bin/llvm-objcopy
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${PROJECT_BINARY_DIR}/lib/kiln/${triple}/libkiln_runtime.a
    USES_TERMINAL_BUILD ON)
  list(APPEND KILN_BUILT_RUNTIMES ${triple})
  message(STATUS "Kiln runtime for ${triple}: ${KILN_CXX_${triple}}")
endforeach()
add_custom_target(kiln-runtimes)
foreach(triple IN LISTS KILN_BUILT_RUNTIMES)
  add_dependencies(kiln-runtimes kiln-runtime-${triple})
endforeach()
