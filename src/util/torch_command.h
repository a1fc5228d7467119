// Exports a command implemented in pelagos_torch under the C name the CLI looks
// up (see src/cli/torch_bridge.cpp). The command is a plain C++ function taking
// its options struct; this adds only the untyped entry point.
#pragma once

#define PELAGOS_TORCH_COMMAND(command_name, OptionsType, function)                           \
  extern "C" __attribute__((visibility("default"))) int pelagos_torch_##command_name(       \
      const void* options) {                                                                 \
    return function(*static_cast<const OptionsType*>(options));                             \
  }
