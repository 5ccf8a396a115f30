#include "key_reader.h"

#include "qujat/common/error.h"
#include "qujat/config/toml_text.h"

namespace qujat::config::detail {

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string " + quoted_value(node.as_string()->get());
    case toml::node_type::integer:
      return "an integer " + std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int hh = (text[0] - '0') * 10 + (text[1] - '0');
  const int mm = (text[3] - '0') * 10 + (text[4] - '0');
  if (hh > 23 || mm > 59) return std::nullopt;
  return std::chrono::minutes{hh * 60 + mm};
}

std::string key_name(const LoadContext& context, std::string_view section, std::string_view key) {
  std::string out = "[" + std::string(section) + "] " + std::string(key);
  const std::string dotted = std::string(section) + "." + std::string(key);
  if (auto it = context.overridden_by.find(dotted); it != context.overridden_by.end()) out += " (" + it->second + ")";
  return out;
}

void fail_at(const LoadContext& context, std::string_view section, std::string_view key, const std::string& code,
             const std::string& reason) {
  throw Error(code, "config: " + key_name(context, section, key) + ": " + reason);
}

void KeyReader::fail(const std::string& code, const std::string& reason) const {
  fail_at(context_, section_, key_, code, reason);
}

std::string KeyReader::string() const {
  if (const auto* s = node_.as_string()) return s->get();
  fail("config.type", "expected a string, got " + describe(node_));
}

bool KeyReader::boolean() const {
  if (const auto* b = node_.as_boolean()) return b->get();
  fail("config.type", "expected true or false, got " + describe(node_));
}

std::int64_t KeyReader::integer(std::int64_t min, std::int64_t max) const {
  const auto* i = node_.as_integer();
  if (i == nullptr) fail("config.type", "expected an integer, got " + describe(node_));
  if (i->get() < min || i->get() > max)
    fail("config.value",
         std::to_string(i->get()) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
  return i->get();
}

std::chrono::seconds KeyReader::seconds(std::int64_t min, std::int64_t max) const {
  return std::chrono::seconds{integer(min, max)};
}

std::filesystem::path KeyReader::resolve(const std::string& written) const {
  const std::filesystem::path p{written};
  if (p.is_absolute()) return p.lexically_normal();
  return (context_.base_dir / p).lexically_normal();
}

void KeyReader::check_exists(const std::string& written, const std::filesystem::path& resolved, PathKind kind) const {
  std::error_code ec;
  const auto status = std::filesystem::status(resolved, ec);
  const bool is_folder = std::filesystem::is_directory(status);
  const bool is_file = std::filesystem::exists(status) && !is_folder;
  switch (kind) {
    case PathKind::file:
      if (is_folder) fail("config.path", quoted_value(written) + " is a folder, not a file");
      if (!is_file) fail("config.path", "no such file " + quoted_value(written));
      return;
    case PathKind::folder:
      if (is_file) fail("config.path", quoted_value(written) + " is a file, not a folder");
      if (!is_folder) fail("config.path", "no such folder " + quoted_value(written));
      return;
    case PathKind::file_or_folder:
      if (!is_file && !is_folder) fail("config.path", "no such file or folder " + quoted_value(written));
      return;
  }
}

std::filesystem::path KeyReader::path(PathKind kind) const {
  const std::string written = string();
  if (written.empty()) return {};
  auto resolved = resolve(written);
  check_exists(written, resolved, kind);
  return resolved;
}

std::vector<std::string> KeyReader::strings() const {
  const auto* array = node_.as_array();
  if (array == nullptr) fail("config.type", "expected an array of strings, got " + describe(node_));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* s = (*array)[i].as_string();
    if (s == nullptr)
      fail("config.type", "item " + std::to_string(i + 1) + ": expected a string, got " + describe((*array)[i]));
    out.push_back(s->get());
  }
  return out;
}

std::vector<std::filesystem::path> KeyReader::paths(PathKind kind) const {
  std::vector<std::filesystem::path> out;
  for (const auto& written : strings()) {
    if (written.empty()) fail("config.value", "an empty path in the list");
    auto resolved = resolve(written);
    check_exists(written, resolved, kind);
    out.push_back(std::move(resolved));
  }
  return out;
}

const toml::table& KeyReader::table() const {
  const auto* t = node_.as_table();
  if (t == nullptr) fail("config.type", "expected a table, got " + describe(node_));
  return *t;
}

std::size_t KeyReader::choice(std::initializer_list<std::string_view> names) const {
  const std::string value = string();
  std::size_t index = 0;
  std::string listed;
  for (auto name : names) {
    if (name == value) return index;
    listed += (index == 0 ? "" : " | ") + std::string(name);
    ++index;
  }
  fail("config.value", quoted_value(value) + " is not one of " + listed);
}

}  // namespace qujat::config::detail
