// A second (third, ...) process drawing from the same store, for the
// cross-process numbering tests: `qujat_draw_numbers SCOPE YEAR COUNT START_MS`
// opens the database named by $QUJAT_DRAW_LOCATION (kept out of argv, like
// any connection string), waits until START_MS (Unix milliseconds) so that all
// processes draw at the same time, and prints one drawn value per line.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "qujat/common/error.h"
#include "qujat/store/database.h"
#include "qujat/store/document_numbering.h"

int main(int argc, char** argv) {
  if (argc != 5 || std::getenv("QUJAT_DRAW_LOCATION") == nullptr) {
    std::cerr << "usage: QUJAT_DRAW_LOCATION=LOCATION qujat_draw_numbers SCOPE YEAR COUNT START_MS\n";
    return 2;
  }
  try {
    auto db = qujat::store::open_database(std::getenv("QUJAT_DRAW_LOCATION"));
    const std::string scope = argv[1];
    const int year = std::stoi(argv[2]);
    const int count = std::stoi(argv[3]);
    std::this_thread::sleep_until(
        std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(argv[4]))));
    for (int i = 0; i < count; ++i) std::cout << db->write([&](qujat::store::Transaction& tx) {
        return qujat::store::next_in_sequence(tx, scope, year);
      }) << '\n';
  } catch (const qujat::Error& e) {
    std::cerr << "qujat_draw_numbers: " << e.code() << ": " << e.full_message() << "\n";
    return 1;
  }
  return 0;
}
