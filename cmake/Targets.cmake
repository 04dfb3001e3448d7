# Helpers that keep each source folder's CMakeLists.txt to a few lines.
# A folder's library is every .cc in it except tests (*_test.cc), fuzz
# targets (*_fuzz.cc) and programs (main.cc, *_main.cc).

function(imeiflow_sources out_var)
  set(result)
  foreach(dir IN LISTS ARGN)
    file(GLOB files CONFIGURE_DEPENDS "${dir}/*.cc")
    foreach(f IN LISTS files)
      get_filename_component(name "${f}" NAME)
      if(NOT name MATCHES "(_test|_fuzz|_main)\\.cc$" AND NOT name STREQUAL "main.cc")
        list(APPEND result "${f}")
      endif()
    endforeach()
  endforeach()
  set(${out_var} "${result}" PARENT_SCOPE)
endfunction()

# imeiflow_library(NAME DIRS dir... DEPS target...)
function(imeiflow_library name)
  cmake_parse_arguments(ARG "" "" "DIRS;DEPS" ${ARGN})
  imeiflow_sources(srcs ${ARG_DIRS})
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  else()  # a folder still holding only headers
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()

# imeiflow_tests(NAME DIRS dir... DEPS target...): one gtest binary holding
# every *_test.cc of the folders, each test registered with ctest.
function(imeiflow_tests name)
  cmake_parse_arguments(ARG "" "" "DIRS;DEPS" ${ARGN})
  set(srcs)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB files CONFIGURE_DEPENDS "${dir}/*_test.cc")
    list(APPEND srcs ${files})
  endforeach()
  if(NOT srcs)
    return()
  endif()
  add_executable(${name} ${srcs})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    IMEIFLOW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    IMEIFLOW_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "IMEIFLOW_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
