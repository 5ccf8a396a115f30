// Access to ../shared/interop for interop tests: a test that needs the real
// NCA material calls QUJAT_REQUIRE_SHARED() and is skipped, with a visible
// message naming the missing folder, when shared/ is absent. CI always has it.
#pragma once

#include <gtest/gtest.h>

#include "support/nca_material.h"

#define QUJAT_REQUIRE_SHARED()                                                                          \
  do {                                                                                                  \
    if (!std::filesystem::exists(::qujat::test::nca_test_dir()))                                        \
      GTEST_SKIP() << "NCA interop material not found at " << ::qujat::test::nca_test_dir().string()   \
                   << " (needs ../shared beside the checkout)";                                         \
  } while (0)
