// The transaction layer over both backends: a pool of connections, a
// transaction per unit of work, conflicts retried; choosing a backend from a
// location, and keeping passwords in connection URIs out of everything qujat prints.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/store/database.h"
#include "store/connection.h"

namespace qujat::store {
namespace {

bool is_postgresql(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where the passwords sit in a URI, found the way libpq's own URI parser
// finds them: user info ends at the first '@' before any '/', the password
// after its first ':'; and any "password=" query parameter.
std::vector<Span> password_spans(std::string_view uri) {
  std::vector<Span> spans;
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return spans;
  const std::size_t authority = scheme_end + 3;
  const auto stop = uri.find_first_of("@/", authority);
  if (stop != std::string_view::npos && uri[stop] == '@') {
    const auto colon = uri.find(':', authority);
    if (colon < stop) spans.push_back({colon + 1, stop});
  }
  auto query = uri.find('?', stop == std::string_view::npos ? authority : stop);
  while (query != std::string_view::npos) {
    const std::size_t key = query + 1;
    const auto next = uri.find('&', key);
    const auto param = uri.substr(key, next == std::string_view::npos ? std::string_view::npos : next - key);
    if (param.starts_with("password=")) spans.push_back({key + 9, key + param.size()});
    query = next;
  }
  return spans;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void replace_all(std::string& text, const std::string& needle, std::string_view with) {
  if (needle.empty()) return;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + with.size()))
    text.replace(at, needle.size(), with);
}

}  // namespace

std::string redacted_location(std::string_view location) {
  std::string out(location);
  if (!is_postgresql(location)) return out;
  auto spans = password_spans(location);
  // Back to front, so earlier offsets stay valid.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->begin, it->end - it->begin, "***");
  return out;
}

std::vector<std::string> passwords_in_location(std::string_view location) {
  std::vector<std::string> out;
  for (const auto& span : password_spans(location)) {
    auto raw = std::string(location.substr(span.begin, span.end - span.begin));
    if (raw.empty()) continue;
    auto decoded = percent_decoded(raw);
    out.push_back(raw);
    if (decoded != raw) out.push_back(decoded);
  }
  return out;
}

std::string without_passwords(std::string text, std::string_view location) {
  replace_all(text, std::string(location), redacted_location(location));
  for (const auto& password : passwords_in_location(location)) replace_all(text, password, "***");
  return text;
}

// --- rows -----------------------------------------------------------------

namespace {

[[noreturn]] void wrong_column(std::size_t column, const char* wanted) {
  throw Error("store.column", "column " + std::to_string(column) + " is not " + wanted);
}

}  // namespace

bool Row::is_null(std::size_t column) const {
  return std::holds_alternative<std::monostate>(values_.at(column));
}

std::int64_t Row::integer(std::size_t column) const {
  const auto* v = std::get_if<std::int64_t>(&values_.at(column));
  if (v == nullptr) wrong_column(column, "an integer");
  return *v;
}

const std::string& Row::text(std::size_t column) const {
  const auto* v = std::get_if<std::string>(&values_.at(column));
  if (v == nullptr) wrong_column(column, "text");
  return *v;
}

const Bytes& Row::blob(std::size_t column) const {
  const auto* v = std::get_if<Bytes>(&values_.at(column));
  if (v == nullptr) wrong_column(column, "bytes");
  return *v;
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Row::optional_integer(std::size_t column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

// --- transactions -----------------------------------------------------------

std::vector<Row> Transaction::query(std::string_view sql, std::span<const Value> params) {
  std::int64_t changed = 0;
  return connection_.run(sql, params, changed);
}

std::optional<Row> Transaction::query_row(std::string_view sql, std::span<const Value> params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Transaction::execute(std::string_view sql, std::span<const Value> params) {
  std::int64_t changed = 0;
  connection_.run(sql, params, changed);
  return changed;
}

Dialect Transaction::dialect() const { return connection_.dialect(); }

std::string_view Transaction::lock_rows() const {
  return dialect() == Dialect::postgresql ? " FOR UPDATE" : "";
}

std::string_view Transaction::skip_locked_rows() const {
  return dialect() == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
}

// --- the pool -------------------------------------------------------------

struct Database::Pool {
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;
  std::size_t max = 1;
  // SQLite lets one transaction write at a time. This process's writers
  // queue here rather than in SQLite's busy handler, which sleeps in steps
  // of up to 100 ms: four clients issuing licences through `qujat serve`
  // saw a p99 of 1.9 s for a 40 ms step. Writers in other processes (a CLI
  // beside the service) still meet the busy handler. Recursive, so that a
  // write begun inside another fails as SQLite makes it fail, not by hanging.
  std::recursive_mutex sqlite_writer;
};

namespace {

// A connection borrowed from the pool for one transaction; given back (or
// dropped when its link broke) however the transaction ends.
class Lease {
 public:
  Lease(Database::Backend& backend, Database::Pool& pool) : pool_(pool) {
    std::unique_lock lock(pool_.mutex);
    pool_.returned.wait(lock, [&] { return !pool_.idle.empty() || pool_.open < pool_.max; });
    if (!pool_.idle.empty()) {
      connection_ = std::move(pool_.idle.back());
      pool_.idle.pop_back();
      return;
    }
    ++pool_.open;
    lock.unlock();
    try {
      connection_ = backend.connect();
    } catch (...) {
      const std::lock_guard again(pool_.mutex);
      --pool_.open;
      pool_.returned.notify_one();
      throw;
    }
  }
  ~Lease() {
    const std::lock_guard lock(pool_.mutex);
    if (connection_ && connection_->usable())
      pool_.idle.push_back(std::move(connection_));
    else
      --pool_.open;
    pool_.returned.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  Database::Pool& pool_;
  std::unique_ptr<Connection> connection_;
};

// Waits before running a transaction again: growing, with jitter so that two
// losers of the same conflict do not collide again in step.
void back_off(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int ceiling = std::min(200, 2 << std::min(attempt, 7));  // milliseconds
  std::uniform_int_distribution<int> pick(1, ceiling);
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

}  // namespace

Database::Database(std::unique_ptr<Backend> backend, const DatabaseOptions& options)
    : backend_(std::move(backend)),
      pool_(std::make_unique<Pool>()),
      dialect_(backend_->dialect()),
      redacted_location_(backend_->redacted_location()),
      retries_on_conflict_(options.retries_on_conflict) {
  pool_->max = backend_->single_connection() ? 1 : std::max<std::size_t>(1, options.max_connections);
  // The first connection migrates; keeping it open makes a bad location fail here.
  Lease first(*backend_, *pool_);
}

Database::~Database() = default;

void Database::run(bool write, const Work& work) {
  std::unique_lock<std::recursive_mutex> writer;
  if (write && dialect_ == Dialect::sqlite) writer = std::unique_lock(pool_->sqlite_writer);
  for (int attempt = 0;; ++attempt) {
    Lease connection(*backend_, *pool_);
    try {
      connection->begin(write);
      Transaction tx(*connection);
      work(tx);
      connection->commit();
      return;
    } catch (const Conflict& e) {
      connection->rollback();
      if (attempt >= retries_on_conflict_)
        throw Error("store.conflict", "the transaction kept conflicting with others; try again", {e.full_message()});
    } catch (...) {
      connection->rollback();
      throw;
    }
    back_off(attempt);
  }
}

std::int64_t Database::schema_version() {
  return read([](Transaction& tx) {
    return tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")->integer(0);
  });
}

std::unique_ptr<Database> open_database(const std::string& location, const DatabaseOptions& options) {
  std::string_view loc = location;
  if (is_postgresql(loc)) return std::make_unique<Database>(postgresql_backend(location), options);
  // A plain path stays SQLite (the CLI's --db FILE); any other URI scheme is
  // a mistake to report, not a file name to create.
  if (const auto scheme = loc.find("://");
      scheme != std::string_view::npos && scheme > 0 && loc.substr(0, scheme).find('/') == std::string_view::npos)
    throw Error("store.unsupported", "unsupported database scheme " + std::string(loc.substr(0, scheme)) +
                                         ":// (use sqlite:PATH or postgresql://...)");
  if (loc.starts_with("sqlite:")) loc.remove_prefix(7);
  if (loc.empty()) throw Error("store.open", "empty database location");
  return std::make_unique<Database>(sqlite_backend(std::string(loc)), options);
}

}  // namespace qujat::store
