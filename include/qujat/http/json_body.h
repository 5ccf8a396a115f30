// Reading a request's JSON body the one safe way: the content type must be
// JSON (else 415), nesting is held to a depth limit before anything is built
// (else 400: a deep document would exhaust the stack of whoever walks it),
// and a parse error is 400 naming where it failed. Errors are ApiErrors in
// the contract shape with the wording of templates/messages/http.json.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "qujat/http/request.h"

namespace qujat::http {

inline constexpr std::size_t kDefaultJsonDepth = 32;

// "application/json", optionally with "; charset=utf-8" (any case); other
// parameters or charsets are not JSON as the contract defines it.
bool is_json_content_type(std::string_view content_type);

// Whether arrays and objects in `text` nest at most `max_depth` deep (a
// scalar is depth 0, "[]" depth 1); strings are skipped with their escapes.
// Linear, allocation-free; for text that is not JSON the answer is only
// about its brackets.
bool json_depth_within(std::string_view text, std::size_t max_depth);

// Throws ApiError: 415 "http.unsupported_media_type", 400 "http.json_too_deep",
// 400 "http.malformed_json".
nlohmann::json parse_json_body(const Request& request, std::size_t max_depth = kDefaultJsonDepth);

}  // namespace qujat::http
