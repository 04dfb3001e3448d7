# The program's version and the commit it was built from, for --version.
# IMEIFLOW_VERSION is the one version every consumer uses (the --version text,
# the Debian package): it is project()'s VERSION. The commit is read from git
# at configure time; a source tree without .git (a tarball) says "unknown".
set(IMEIFLOW_VERSION "${PROJECT_VERSION}")

set(IMEIFLOW_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" rev-parse --short=7 HEAD
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE git_commit
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE git_result
    ERROR_QUIET)
  if(git_result EQUAL 0 AND git_commit)
    set(IMEIFLOW_COMMIT "${git_commit}")
  endif()
endif()

configure_file("${PROJECT_SOURCE_DIR}/src/imeiflow_version.h.in"
               "${PROJECT_BINARY_DIR}/generated/imeiflow_version.h" @ONLY)
