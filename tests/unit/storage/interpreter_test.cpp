#include "actpip/storage/interpreter.hpp"
#include "actpip/storage/subprocess.hpp"

#include <gtest/gtest.h>

using actpip::storage::parse_interpreter_probe;
using actpip::storage::probe_interpreter;
using actpip::storage::run_capture;

TEST(Subprocess, CapturesBothStreamsAndExitCode) {
    auto r = run_capture({"sh", "-c", "echo out; echo err >&2; exit 3"});
    ASSERT_TRUE(r.has_value()) << r.error().describe();
    EXPECT_EQ(r->exit_code, 3);
    EXPECT_EQ(r->stdout_text, "out\n");
    EXPECT_EQ(r->stderr_text, "err\n");
}

TEST(Subprocess, LargeOutputOnBothStreamsDoesNotDeadlock) {
    auto r = run_capture({"sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->stdout_text.size(), 300000u);
    EXPECT_EQ(r->stderr_text.size(), 300000u);
}

TEST(Subprocess, MissingProgramIsAnErrorNamingIt) {
    auto r = run_capture({"actpip-no-such-program-xyz"});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("actpip-no-such-program-xyz"), std::string::npos);
}

TEST(InterpreterProbe, ParsesTheProbeAnswer) {
    const std::string json = R"({"executable": "/venv/bin/python", "implementation": "cpython",
        "version": [3, 11, 7], "soabi": "cpython-311-x86_64-linux-gnu",
        "platform": "linux-x86_64", "libc": "glibc 2.36", "in_virtualenv": true,
        "externally_managed": false,
        "paths": {"purelib": "/venv/lib/python3.11/site-packages", "scripts": "/venv/bin"},
        "markers": {"python_version": "3.11", "sys_platform": "linux"}})";
    auto info = parse_interpreter_probe(json, "python");
    ASSERT_TRUE(info.has_value()) << info.error().describe();
    EXPECT_EQ(info->executable, "/venv/bin/python");
    EXPECT_EQ(info->version, (std::vector<int>{3, 11, 7}));
    EXPECT_TRUE(info->in_virtualenv);
    EXPECT_EQ(info->libc, "glibc 2.36");
    EXPECT_EQ(info->paths.at("scripts"), "/venv/bin");
    EXPECT_EQ(info->markers.values.at("python_version"), "3.11");
}

TEST(InterpreterProbe, RejectsAnswersThatAreNotTheProbes) {
    EXPECT_FALSE(parse_interpreter_probe("Python 3.11.7", "py").has_value());
    EXPECT_FALSE(parse_interpreter_probe(R"({"version": [3, 11]})", "py").has_value());
    auto no_markers = parse_interpreter_probe(R"({"version": [3, 11, 7], "paths": {}})", "py");
    ASSERT_FALSE(no_markers.has_value());
    EXPECT_NE(no_markers.error().message.find("py"), std::string::npos);
}

TEST(InterpreterProbe, ProbesTheRealPython3) {
    auto info = probe_interpreter("python3");
    ASSERT_TRUE(info.has_value()) << info.error().describe();
    EXPECT_EQ(info->version.at(0), 3);
    for (const char* key :
         {"implementation_name", "implementation_version", "os_name", "platform_machine",
          "platform_release", "platform_system", "platform_version", "python_full_version",
          "platform_python_implementation", "python_version", "sys_platform"}) {
        EXPECT_TRUE(info->markers.values.contains(key)) << key;
    }
    EXPECT_TRUE(info->paths.contains("purelib"));
    EXPECT_FALSE(info->executable.empty());
}

TEST(InterpreterProbe, NotAnInterpreterIsAClearError) {
    auto info = probe_interpreter("false");
    ASSERT_FALSE(info.has_value());
    EXPECT_NE(info.error().describe().find("false"), std::string::npos);
}
