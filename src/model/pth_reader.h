// Reads a torch.save()d state_dict without LibTorch and without running any
// code from the file (see pickle_vm.h). Both container layouts are accepted:
//   zip (torch >= 1.6 default): records <archive>/data.pkl, <archive>/data/<key>,
//       <archive>/version; the <archive> folder name varies with the file name.
//   legacy (_use_new_zipfile_serialization=False, all files before 1.6): five
//       pickles back to back (magic number, protocol 1001, sys-info dict, the
//       object, the list of storage keys), then for each key in that list an
//       int64 element count and the raw little-endian elements.
// Storages named by the same key are shared, so views stay views.
#pragma once
#include <string>

#include "model/raw_tensor.h"

namespace pelagos {

enum class PthFormat { Zip, Legacy };

struct PthContents {
  PthFormat format = PthFormat::Zip;
  RawStateDict tensors;  // file order
};

// Throws pelagos::Error naming the file and what is wrong (not a torch file,
// truncated, refused global/opcode, a value that is not a tensor, ...).
PthContents read_pth(const std::string& path);

const char* pth_format_name(PthFormat format);  // "zip" / "legacy"

}  // namespace pelagos
