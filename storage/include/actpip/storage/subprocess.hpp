#pragma once
// Running a helper program (the target interpreter) and capturing what it prints.

#include "actpip/core/error.hpp"

#include <string>
#include <vector>

namespace actpip::storage {

struct process_output {
    int exit_code = -1;
    std::string stdout_text;
    std::string stderr_text;
};

// Runs argv[0] (searched on PATH) with no shell and stdin closed; waits for it to end.
core::result<process_output> run_capture(const std::vector<std::string>& argv);

} // namespace actpip::storage
