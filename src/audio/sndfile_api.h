// libsndfile, opened on first use. It and the codec libraries it links
// (FLAC, Vorbis, Opus, Ogg, mpg123, LAME) cost about half a millisecond at
// every start of the program, a tenth of a `study tell`; only the commands
// that read or write audio need them.
#pragma once
#include <sndfile.h>

namespace pelagos {

struct SndfileApi {
  decltype(&::sf_open) sf_open;
  decltype(&::sf_open_virtual) sf_open_virtual;
  decltype(&::sf_close) sf_close;
  decltype(&::sf_command) sf_command;
  decltype(&::sf_error) sf_error;
  decltype(&::sf_strerror) sf_strerror;
  decltype(&::sf_readf_float) sf_readf_float;
  decltype(&::sf_writef_float) sf_writef_float;
};

// Loads libsndfile (the soname built against) once per process; throws pelagos::Error saying how to
// install it when it is missing.
const SndfileApi& sndfile();

}  // namespace pelagos
