#pragma once
#include <iosfwd>

namespace actpip::cli {

// Speaks the protocol of ../shared/conformance/vectors: one JSON request per input line,
// one JSON answer per output line. Returns the process exit code.
int run_debug_vectors(std::istream& in, std::ostream& out);

} // namespace actpip::cli
