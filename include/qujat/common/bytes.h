// Byte strings and their textual encodings (base64 as XMLDSig and CMS use it, hex).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qujat {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Base64 (RFC 4648) with no line breaks.
std::string base64_encode(ByteView data);
// Base64 wrapped at `width` characters, lines joined by `newline`.
std::string base64_encode_wrapped(ByteView data, std::size_t width, std::string_view newline);
// Decodes base64, ignoring ASCII whitespace; nullopt when the text is not
// valid base64 (bad character, bad padding, truncated).
std::optional<Bytes> base64_decode(std::string_view text);

std::string hex_encode(ByteView data, bool upper = false);
std::optional<Bytes> hex_decode(std::string_view text);

// Reads a whole file; throws qujat::Error("io.read") naming the path, and
// refuses files larger than `max_size` bytes.
Bytes read_file(const std::string& path, std::size_t max_size = 64u << 20);
void write_file(const std::string& path, ByteView data);

}  // namespace qujat
