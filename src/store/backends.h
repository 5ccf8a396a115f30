// The backends behind store::open_database (not part of the public API).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/store/database.h"

namespace qujat::store {

std::unique_ptr<Database> open_sqlite_database(const std::string& path);
std::unique_ptr<Database> open_postgresql_database(const std::string& uri);

// Every form a password takes in a connection URI (as written, and
// percent-decoded), so a message quoting any of them can be scrubbed.
std::vector<std::string> passwords_in_location(std::string_view location);

// `text` with `location` shown redacted and every password form replaced by "***".
std::string without_passwords(std::string text, std::string_view location);

}  // namespace qujat::store
