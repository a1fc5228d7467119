// Exports read_bundle_info to the CLI (see bundle_info_request.h).
#include "model/bundle.h"
#include "model/bundle_info_request.h"
#include "util/torch_command.h"

namespace pelagos {
namespace {

int bundle_info_command(const BundleInfoRequest& request) {
  *request.out = read_bundle_info(request.path).to_json();
  return 0;
}

}  // namespace
}  // namespace pelagos

PELAGOS_TORCH_COMMAND(bundle_info, pelagos::BundleInfoRequest, pelagos::bundle_info_command)
