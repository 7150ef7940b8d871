// TorchHub's GLIBCXX_3.4.32 shim (see docs/notes/tensors.md, "The native fix").
//
// TorchSharp 0.107's libLibTorchSharp.so is built with GCC 13 and asks libstdc++ for
// std::ios_base_library_init() under version GLIBCXX_3.4.32: GCC 13's iostream start-up hook.
// Older libstdc++ (GCC 12: Debian 12, Ubuntu 22.04, RHEL 9) lacks it. The hook only has to make
// sure the standard streams are constructed, which a function-static std::ios_base::Init does on
// every libstdc++. The version script exports the symbol under GLIBCXX_3.4.32 so the versioned
// reference resolves here when this library is loaded RTLD_GLOBAL before the patched copy.
#include <ios>

namespace std {
void ios_base_library_init() {
    static ios_base::Init init;
}
}
