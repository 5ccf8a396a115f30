// What a backend gives the transaction layer (store/database.h): a
// connection that begins, runs, commits and rolls back, and a factory that
// opens connections to one database. Not part of the public API.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/store/database.h"

namespace qujat::store {

// A transaction lost a conflict with another one (SQLite busy past its
// timeout, PostgreSQL serialization failure or deadlock): running it again
// may succeed. Database::run does so a bounded number of times.
class Conflict : public Error {
 public:
  using Error::Error;
};

// Prepared statements are cached per connection by their SQL text; this
// looks one up by the caller's string_view without copying it.
struct SqlHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>{}(sql); }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Runs one statement with `?` placeholders; `changed` receives the number
  // of rows an INSERT/UPDATE/DELETE changed.
  virtual std::vector<Row> run(std::string_view sql, std::span<const Value> params, std::int64_t& changed) = 0;
  // False once the link to the server broke: the pool drops the connection.
  virtual bool usable() const = 0;
  virtual Dialect dialect() const = 0;
};

struct Database::Backend {
  virtual ~Backend() = default;
  // A new connection; the first one also applies the migrations.
  virtual std::unique_ptr<Connection> connect() = 0;
  virtual Dialect dialect() const = 0;
  virtual std::string redacted_location() const = 0;
  // An in-memory SQLite database exists once per connection: keep one.
  virtual bool single_connection() const { return false; }
};

std::unique_ptr<Database::Backend> sqlite_backend(const std::string& path);
std::unique_ptr<Database::Backend> postgresql_backend(const std::string& uri);

// Every form a password takes in a connection URI (as written, and
// percent-decoded), so a message quoting any of them can be scrubbed.
std::vector<std::string> passwords_in_location(std::string_view location);

// `text` with `location` shown redacted and every password form replaced by "***".
std::string without_passwords(std::string text, std::string_view location);

}  // namespace qujat::store
