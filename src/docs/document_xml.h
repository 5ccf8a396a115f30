// The XML of an issued document's data (not its layout): one namespace per
// kind, meta (kind, number, issue date, languages) then the application's
// content, codes kept as codes with kk/ru names alongside, bilingual texts
// as <text xml:lang>. Rules in docs/documents.md; schemas/<kind>.xsd checks it.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "qujat/common/memory.h"
#include "qujat/xml/document.h"
#include "qujat/docs/document_engine.h"
#include "qujat/i18n/template_root.h"

namespace qujat::docs {

using XmlDocPtr = UniquePtr<xmlDoc, xmlFreeDoc>;

XmlDocPtr write_document_xml(const i18n::TemplateRoot& templates, const nlohmann::json& application,
                             const DocumentMeta& meta);
std::string serialize(xmlDoc* doc);

// The XSDs of schemas/, each parsed once on first use and shared by threads
// (a parsed xmlSchema is read-only; each validation gets its own context).
class SchemaSet {
 public:
  explicit SchemaSet(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~SchemaSet();
  const std::filesystem::path& dir() const { return dir_; }
  // Problems of `doc` against schemas/<kind>.xsd; empty when valid.
  std::vector<std::string> validate(const std::string& kind, xmlDoc* doc);

 private:
  xmlSchema* schema(const std::string& kind);
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, xmlSchema*> schemas_;
};

}  // namespace qujat::docs
