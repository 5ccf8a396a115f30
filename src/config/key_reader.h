// One key of the configuration being read: its value as a TOML node, and
// conversions that refuse a wrong value with a message naming the key
// ("config: [server] listen: ..."). Kept apart from the schema (load.cpp) so
// that every section reads its keys with the same rules and the same words.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/config/config.h"

namespace qujat::config::detail {

// What a relative path is resolved against, and what came from the environment.
struct LoadContext {
  std::filesystem::path base_dir;
  const std::map<std::string, std::string>* environment = nullptr;
  // "section.key" -> the environment entry that set it
  std::map<std::string, std::string> overridden_by;
};

enum class PathKind { file, folder, file_or_folder };

// "[section] key", with the environment entry when one set the value.
std::string key_name(const LoadContext& context, std::string_view section, std::string_view key);
// Throws Error(code, "config: [section] key: reason").
[[noreturn]] void fail_at(const LoadContext& context, std::string_view section, std::string_view key,
                          const std::string& code, const std::string& reason);

class KeyReader {
 public:
  KeyReader(const LoadContext& context, std::string_view section, std::string_view key, const toml::node& node)
      : context_(context), section_(section), key_(key), node_(node) {}

  [[noreturn]] void fail(const std::string& code, const std::string& reason) const;

  const toml::node& node() const { return node_; }
  std::string string() const;
  bool boolean() const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  std::chrono::seconds seconds(std::int64_t min, std::int64_t max) const;
  // "" gives an empty path; otherwise it is resolved and must exist as `kind`.
  std::filesystem::path path(PathKind kind) const;
  std::vector<std::filesystem::path> paths(PathKind kind) const;
  std::vector<std::string> strings() const;
  const toml::table& table() const;
  // One of `names` (an enum's spelling); its index.
  std::size_t choice(std::initializer_list<std::string_view> names) const;

  // Helpers the values of tables share with their items.
  std::filesystem::path resolve(const std::string& written) const;
  void check_exists(const std::string& written, const std::filesystem::path& resolved, PathKind kind) const;

 private:
  const LoadContext& context_;
  std::string section_;
  std::string key_;
  const toml::node& node_;
};

// "a string", "an integer", ... for messages.
std::string describe(const toml::node& node);
// "HH:MM" as minutes since midnight; nullopt when not a time of day.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);

}  // namespace qujat::config::detail
