// An XML Schema (XSD) loaded from local files only, to validate documents
// the project writes or reads (imports resolve on disk, never over the network).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qujat/xml/document.h"

namespace qujat::xml {

class Schema {
 public:
  // Throws qujat::Error("xml.schema") with libxml2's messages as causes.
  static Schema from_file(const std::string& path);
  ~Schema();
  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;

  // Empty when valid; otherwise one message per problem, with line numbers.
  std::vector<std::string> validate(const Document& doc) const;

 private:
  struct Impl;
  explicit Schema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qujat::xml
