// GoogleTest's main for every test program, with the machine's environment scrubbed first.
#include "support/environment.hpp"

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    actpip::test::scrub_environment();
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
