#include "actpip/storage/target_tags.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace actpip;

namespace {

storage::interpreter_info cpython_311_glibc() {
    storage::interpreter_info info;
    info.implementation = "cpython";
    info.version = {3, 11, 7};
    info.soabi = "cpython-311-x86_64-linux-gnu";
    info.platform = "linux-x86_64";
    info.libc = "glibc 2.36";
    return info;
}

std::vector<std::string> names(const std::vector<core::tag>& tags) {
    std::vector<std::string> out;
    for (const auto& t : tags) {
        out.push_back(t.to_string());
    }
    return out;
}

std::ptrdiff_t position(const std::vector<std::string>& v, const std::string& s) {
    auto it = std::find(v.begin(), v.end(), s);
    return it == v.end() ? -1 : it - v.begin();
}

} // namespace

TEST(TargetTags, CpythonOnGlibcGetsManylinuxDownFromItsGlibc) {
    auto tags = names(storage::supported_tags(cpython_311_glibc()));
    ASSERT_FALSE(tags.empty());
    EXPECT_EQ(tags.front(), "cp311-cp311-manylinux_2_36_x86_64");
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux_2_37_x86_64"), -1) << "newer than glibc";
    auto m2014 = position(tags, "cp311-cp311-manylinux2014_x86_64");
    auto m217 = position(tags, "cp311-cp311-manylinux_2_17_x86_64");
    ASSERT_GE(m2014, 0);
    EXPECT_EQ(m2014, m217 + 1) << "the legacy alias follows its PEP 600 name";
    EXPECT_GE(position(tags, "cp311-abi3-manylinux1_x86_64"), 0);
    EXPECT_GE(position(tags, "cp39-abi3-linux_x86_64"), 0);
    EXPECT_LT(position(tags, "cp311-abi3-linux_x86_64"), position(tags, "py3-none-any"));
    EXPECT_EQ(tags.back(), "py30-none-any");
    EXPECT_EQ(position(tags, "cp311-cp311-musllinux_1_2_x86_64"), -1);
}

TEST(TargetTags, MuslAndPypyAreRecognised) {
    auto info = cpython_311_glibc();
    info.libc = "musl 1.2";
    auto musl = names(storage::supported_tags(info));
    EXPECT_EQ(musl.front(), "cp311-cp311-musllinux_1_2_x86_64");
    EXPECT_EQ(position(musl, "cp311-cp311-manylinux2014_x86_64"), -1);

    storage::interpreter_info pypy = cpython_311_glibc();
    pypy.implementation = "pypy";
    pypy.version = {3, 9, 18};
    pypy.soabi = "pypy39-pp73-x86_64-linux-gnu";
    auto facts = storage::tag_facts(pypy);
    EXPECT_EQ(facts.implementation, "pp");
    ASSERT_EQ(facts.abis.size(), 1u);
    EXPECT_EQ(facts.abis[0], "pypy39_pp73");
}

TEST(TargetTags, ThisMachinesPython3) {
    auto info = storage::probe_interpreter("python3");
    ASSERT_TRUE(info.has_value()) << info.error().describe();
    auto tags = names(storage::supported_tags(*info));
    ASSERT_FALSE(tags.empty());
    EXPECT_GE(position(tags, "py3-none-any"), 0);
    auto nodot = std::to_string(info->version[0]) + std::to_string(info->version[1]);
    EXPECT_EQ(tags.front().rfind("cp" + nodot + "-cp" + nodot + "-", 0), 0u) << tags.front();
}
