# One static library per concern (src/<name>/*.cpp -> qujat_<name>), so each
# folder builds, links and is tested on its own; `qujat::qujat` is all of them.
function(qujat_component name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LIBS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS
       "${CMAKE_SOURCE_DIR}/src/${name}/*.cpp" "${CMAKE_SOURCE_DIR}/src/${name}/*.c")
  if(NOT sources)
    add_library(qujat_${name} INTERFACE)
    target_include_directories(qujat_${name} INTERFACE ${CMAKE_SOURCE_DIR}/include)
    target_link_libraries(qujat_${name} INTERFACE ${ARG_DEPENDS} ${ARG_LIBS})
    return()
  endif()
  add_library(qujat_${name} STATIC ${sources})
  target_include_directories(qujat_${name}
    PUBLIC ${CMAKE_SOURCE_DIR}/include
    PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(qujat_${name} PUBLIC ${ARG_DEPENDS} ${ARG_LIBS})
  set_target_properties(qujat_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# tests/<name>/*.cpp -> test_<name>, registered with CTest.
function(qujat_test_suite name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/${name}/*.cpp")
  if(NOT sources)
    return()
  endif()
  add_executable(test_${name} ${sources})
  target_include_directories(test_${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(test_${name} PRIVATE qujat_test_paths)
  target_link_libraries(test_${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_dependencies(test_${name} qujat)
  gtest_discover_tests(test_${name}
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    DISCOVERY_TIMEOUT 60)
endfunction()

# Where tests find the source tree, the build folder and the qujat tool,
# compiled into one small library (tests/support/paths.h) so that no other
# test object carries the checkout's path.
function(qujat_test_paths_library)
  add_library(qujat_test_paths STATIC ${CMAKE_SOURCE_DIR}/tests/support/paths.cpp)
  target_include_directories(qujat_test_paths PUBLIC ${CMAKE_SOURCE_DIR}/tests)
  target_compile_definitions(qujat_test_paths PRIVATE
    QUJAT_TEST_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    QUJAT_TEST_BINARY_DIR="${CMAKE_BINARY_DIR}"
    QUJAT_TEST_CLI="$<TARGET_FILE:qujat>")
endfunction()
