#include "audio/sndfile_api.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include "pelagos/error.h"

namespace pelagos {

const SndfileApi& sndfile() {
  static const SndfileApi api = [] {
    void* lib = dlopen("libsndfile.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      throw Error(fmt::format("cannot load libsndfile ({}), which pelagos needs to read and write audio files. "
                              "Install it (apt-get install libsndfile1).",
                              dlerror()));
    auto symbol = [lib](const char* name) {
      void* p = dlsym(lib, name);
      if (!p) throw Error(fmt::format("libsndfile.so.1 has no {}; it is too old for pelagos", name));
      return p;
    };
    SndfileApi a;
    a.sf_open = reinterpret_cast<decltype(a.sf_open)>(symbol("sf_open"));
    a.sf_open_virtual = reinterpret_cast<decltype(a.sf_open_virtual)>(symbol("sf_open_virtual"));
    a.sf_close = reinterpret_cast<decltype(a.sf_close)>(symbol("sf_close"));
    a.sf_command = reinterpret_cast<decltype(a.sf_command)>(symbol("sf_command"));
    a.sf_error = reinterpret_cast<decltype(a.sf_error)>(symbol("sf_error"));
    a.sf_strerror = reinterpret_cast<decltype(a.sf_strerror)>(symbol("sf_strerror"));
    a.sf_readf_float = reinterpret_cast<decltype(a.sf_readf_float)>(symbol("sf_readf_float"));
    a.sf_writef_float = reinterpret_cast<decltype(a.sf_writef_float)>(symbol("sf_writef_float"));
    return a;
  }();
  return api;
}

}  // namespace pelagos
