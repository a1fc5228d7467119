#include "audio/sndfile_api.h"

#include "util/system_library.h"

namespace pelagos {

const SndfileApi& sndfile() {
  static const SndfileApi api = [] {
    const SystemLibrary lib(PELAGOS_SNDFILE_SONAME,
                            "cannot load libsndfile ({}), which pelagos needs to read and write audio files. "
                            "Install it (apt-get install libsndfile1).");
    SndfileApi a;
    a.sf_open = lib.function<decltype(a.sf_open)>("sf_open");
    a.sf_open_virtual = lib.function<decltype(a.sf_open_virtual)>("sf_open_virtual");
    a.sf_close = lib.function<decltype(a.sf_close)>("sf_close");
    a.sf_command = lib.function<decltype(a.sf_command)>("sf_command");
    a.sf_error = lib.function<decltype(a.sf_error)>("sf_error");
    a.sf_strerror = lib.function<decltype(a.sf_strerror)>("sf_strerror");
    a.sf_readf_float = lib.function<decltype(a.sf_readf_float)>("sf_readf_float");
    a.sf_writef_float = lib.function<decltype(a.sf_writef_float)>("sf_writef_float");
    return a;
  }();
  return api;
}

}  // namespace pelagos
