# libsndfile, libsoxr, libzip and libcrypto are opened on first use
# (src/util/system_library.h) rather than linked, so commands that need none of
# them (`pelagos study ask`) do not load them and their dependencies at start-up.
# pelagos_open_on_first_use(target) gives `target` their headers and, as
# PELAGOS_<NAME>_SONAME, the soname of each library built against (its headers
# describe that version's ABI). Expects pkg_check_modules(SNDFILE / SOXR /
# LIBZIP ... IMPORTED_TARGET) and find_package(OpenSSL) to have run.
function(pelagos_open_on_first_use target)
  set(objdump "${CMAKE_OBJDUMP}")
  if(NOT objdump)
    find_program(PELAGOS_OBJDUMP objdump REQUIRED)
    set(objdump "${PELAGOS_OBJDUMP}")
  endif()
  list(GET SNDFILE_LINK_LIBRARIES 0 sndfile_library)
  list(GET SOXR_LINK_LIBRARIES 0 soxr_library)
  list(GET LIBZIP_LINK_LIBRARIES 0 libzip_library)
  foreach(spec "SNDFILE;PkgConfig::SNDFILE;${sndfile_library}" "SOXR;PkgConfig::SOXR;${soxr_library}"
               "LIBZIP;PkgConfig::LIBZIP;${libzip_library}" "LIBCRYPTO;OpenSSL::Crypto;${OPENSSL_CRYPTO_LIBRARY}")
    list(GET spec 0 name)
    list(GET spec 1 imported)
    list(GET spec 2 library)
    target_include_directories(${target} PRIVATE $<TARGET_PROPERTY:${imported},INTERFACE_INCLUDE_DIRECTORIES>)
    execute_process(COMMAND ${objdump} -p ${library} OUTPUT_VARIABLE dump ERROR_QUIET)
    if(NOT dump MATCHES "SONAME +([^\n ]+)")
      message(FATAL_ERROR "cannot read the soname of ${library} (with ${objdump} -p)")
    endif()
    target_compile_definitions(${target} PRIVATE "PELAGOS_${name}_SONAME=\"${CMAKE_MATCH_1}\"")
  endforeach()
endfunction()
