// A library of the system that only some commands need, opened on first use
// rather than linked: linking it would make every start of the program load it
// and the libraries it links (`pelagos study ask` is started once per trial).
#pragma once
#include <string>

namespace pelagos {

class SystemLibrary {
 public:
  // dlopen()s `soname` (RTLD_NOW | RTLD_LOCAL); if that fails, throws
  // pelagos::Error with `missing`, whose "{}" becomes the loader's reason.
  // Never closed: the functions taken from it stay valid for the process.
  SystemLibrary(const char* soname, const char* missing);

  // The function `name`; throws pelagos::Error when the library lacks it.
  template <class Fn>
  Fn function(const char* name) const {
    return reinterpret_cast<Fn>(symbol(name));
  }

 private:
  void* symbol(const char* name) const;

  const char* soname_;
  void* handle_;
};

}  // namespace pelagos
