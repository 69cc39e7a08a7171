#pragma once
// Facts about a Python interpreter that decide what can be installed into it: its version,
// marker environment, install scheme paths and platform details. Read by running the
// interpreter once.

#include "actpip/core/error.hpp"
#include "actpip/core/marker.hpp"

#include <map>
#include <string>
#include <vector>

namespace actpip::storage {

struct interpreter_info {
    std::string executable;     // sys.executable as the interpreter reports it
    std::string implementation; // sys.implementation.name: "cpython", "pypy"
    std::vector<int> version;   // sys.version_info[:3]
    std::string soabi;          // sysconfig SOABI, e.g. cpython-311-x86_64-linux-gnu
    std::string platform;       // sysconfig.get_platform(), e.g. linux-x86_64
    std::string libc;           // "glibc 2.36", "musl 1.2", or empty
    std::string prefix;         // sys.prefix
    bool in_virtualenv = false;
    // PEP 668: outside a virtual environment, EXTERNALLY-MANAGED in the stdlib directory.
    bool externally_managed = false;
    std::string externally_managed_error;     // its [externally-managed] Error text, if any
    std::map<std::string, std::string> paths; // purelib, platlib, scripts, data, include
    // The same scheme with every base variable set to "@PREFIX@" (what --prefix DIR uses,
    // as pip computes it: the preferred "prefix" scheme with the base variables replaced).
    std::map<std::string, std::string> prefix_paths;
    core::marker_environment markers;
};

// Runs `python` once with a small probe script and parses what it prints.
// Errors name the interpreter and what went wrong (not found, not Python, bad output).
core::result<interpreter_info> probe_interpreter(const std::string& python);

// Runs the probe script in `python` (isolated mode): its JSON output, or an error naming the
// interpreter and how it failed.
core::result<std::string> run_interpreter_probe(const std::string& python);

// Parses the probe's JSON output; separate so it is testable without running anything.
core::result<interpreter_info> parse_interpreter_probe(const std::string& json,
                                                       const std::string& python);

// The probe script itself (Python 3, standard library only).
const char* interpreter_probe_script();

} // namespace actpip::storage
