# imeiflow_embed_files(TARGET BASE dir DIRS sub... OUTPUT name.cc)
#
# Compiles every file of BASE/<sub> (not recursive) into TARGET as bytes, so
# the program needs no files beside it at run time. The generated OUTPUT (in
# the build folder) defines imeiflow::web::EmbeddedFiles() (web/embedded_files.h):
# paths relative to BASE ("templates/layout.mustache", "static/app.css") with
# their contents. It is regenerated whenever one of the files changes; adding
# or removing a file re-runs CMake through the CONFIGURE_DEPENDS glob.
function(imeiflow_embed_files target)
  cmake_parse_arguments(ARG "" "BASE;OUTPUT" "DIRS" ${ARGN})
  set(files)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB found CONFIGURE_DEPENDS "${ARG_BASE}/${dir}/*")
    list(APPEND files ${found})
  endforeach()
  list(SORT files)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${ARG_OUTPUT}")
  # The list travels to the script joined with "|" (a ";" would split the argument).
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DBASE=${ARG_BASE}" "-DFILES=${joined}" "-DOUTPUT=${output}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    COMMENT "Embedding ${ARG_DIRS} into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()
