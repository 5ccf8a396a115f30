// A number no double can hold is unreadable input like any other, with the
// code `qujat check` turns into exit 2 and a JSON error. Found by the
// application_json fuzzer (tests/fuzz/regressions/application_json/).
#include <gtest/gtest.h>

#include <string>

#include "qujat/common/error.h"
#include "qujat/model/application.h"

TEST(ReadApplication, ANumberBeyondAnyDoubleIsUnreadable) {
  for (const std::string text : {"{\"kind\": \"euc\", \"x\": 1e999}", "[-1e400]", "{\"n\": 123e4567}"}) {
    try {
      (void)qujat::model::read_application_json(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const qujat::Error& e) {
      EXPECT_EQ(e.code(), "model.unreadable") << text;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a qujat::Error for " << text << ": " << e.what();
    }
  }
}
