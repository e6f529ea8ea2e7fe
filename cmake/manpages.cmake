# Man pages (section 1) for every tool, made from its --help and --version by help2man
# at build time into ${CMAKE_BINARY_DIR}/man/man1 and installed to share/man/man1.
# Without help2man the build goes on without them (and says so).
find_program(HELP2MAN_EXECUTABLE help2man)
if(NOT HELP2MAN_EXECUTABLE)
  message(STATUS "help2man not found: no man pages are built (Debian: apt-get install help2man)")
  return()
endif()

# one-line NAME section per tool (help2man would otherwise write "manual page for ...")
set(EXSOL_MAN_NAME_exsol "run the exsol tool exsol-<command> (dispatcher)")
set(EXSOL_MAN_NAME_exsol-gen "candidate films from compositions and anneal conditions")
set(EXSOL_MAN_NAME_exsol-reduce "reducing anneal: oxygen loss and metal exsolution of every candidate")
set(EXSOL_MAN_NAME_exsol-transport "carrier density, Fermi level, mobility and resistivity before and after")
set(EXSOL_MAN_NAME_exsol-magnet "magnetisation, blocking temperatures and ZFC/FC of the exsolved particles")
set(EXSOL_MAN_NAME_exsol-rank "dual-switching constraints, Pareto rank, score and a sorted table")
set(EXSOL_MAN_NAME_exsol-table "chosen variables of an exsol file as TSV/CSV; one candidate's curves")
set(EXSOL_MAN_NAME_exsol-cat "concatenate exsol shards along candidate")
set(EXSOL_MAN_NAME_exsol-window "process windows: the anneal temperatures and times at which each film switches both")
set(EXSOL_MAN_NAME_exsol-ensemble "a probability for every verdict: the chain under members drawn from the priors")
set(EXSOL_MAN_NAME_exsol-fit "calibration: the posterior of the reduce kinetics given the fit anchors (ensemble MCMC)")

set(EXSOL_MAN_DIR ${CMAKE_BINARY_DIR}/man/man1)
set(EXSOL_MAN_PAGES "")
foreach(tool ${EXSOL_TOOLS})
  if(DEFINED EXSOL_MAN_NAME_${tool})
    set(desc "${EXSOL_MAN_NAME_${tool}}")
  else()
    set(desc "an exsol tool")
  endif()
  set(page ${EXSOL_MAN_DIR}/${tool}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${EXSOL_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C.UTF-8 ${HELP2MAN_EXECUTABLE} --no-info --locale=C.UTF-8 --section=1
            "--name=${desc}" --output=${page} $<TARGET_FILE:${tool}>
    DEPENDS ${tool}
    COMMENT "Man page ${tool}.1"
    VERBATIM)
  list(APPEND EXSOL_MAN_PAGES ${page})
endforeach()
add_custom_target(man ALL DEPENDS ${EXSOL_MAN_PAGES})
install(FILES ${EXSOL_MAN_PAGES} DESTINATION share/man/man1)
