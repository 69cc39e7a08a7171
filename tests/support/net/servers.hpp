#pragma once
// For tests/unit/actors until they migrate: the names they use (test::net_servers,
// test::fault_server, test::child_process, test::temp_dir, test::write_file, test::read_file,
// test::free_port, test::wait_for_port) now come from the support library; new code includes
// "support/net_servers.hpp", "support/process.hpp", ... itself. The standard and POSIX headers
// are the ones this header used to bring in, which those tests may lean on.

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/files.hpp"
#include "support/net_servers.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
