#pragma once
// The environment an install changes: a Python interpreter's own scheme (a virtual
// environment or the system), `--target DIR` or `--prefix DIR`. Opening one probes the
// interpreter once and refuses (PEP 668) an externally managed system interpreter unless
// the caller breaks system packages on purpose.

#include "actpip/core/error.hpp"
#include "actpip/storage/interpreter.hpp"
#include "actpip/storage/scheme.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace actpip::storage {

enum class environment_kind { interpreter, target, prefix };

struct environment_options {
    // Empty: $VIRTUAL_ENV/bin/python when VIRTUAL_ENV is set, else python3 on PATH.
    std::string python;
    std::filesystem::path target; // --target DIR
    std::filesystem::path prefix; // --prefix DIR
    bool break_system_packages = false;
    bool for_writing = true; // false for list/freeze/show: no PEP 668 check
};

struct target_environment {
    environment_kind kind = environment_kind::interpreter;
    interpreter_info python;
    // Everything this environment may change lies under one of these (the scheme's data,
    // library and scripts directories); RECORD paths outside them are never touched.
    std::vector<std::filesystem::path> roots;

    install_scheme scheme_for(std::string_view dist_name) const;
    // Where installed distributions live (purelib, then platlib when different).
    std::vector<std::filesystem::path> library_dirs() const;
    bool contains(const std::filesystem::path& path) const;
};

// The interpreter the options name (see environment_options::python).
std::string default_python(const environment_options& options);

core::result<target_environment> open_environment(const environment_options& options);

// An environment from an interpreter already probed (no process is run).
core::result<target_environment> make_environment(const interpreter_info& python,
                                                  const environment_options& options);

} // namespace actpip::storage
