// Hardened parsing, IDs and canonical XML.
#include <gtest/gtest.h>

#include "qujat/common/error.h"
#include "qujat/xml/c14n.h"
#include "qujat/xml/document.h"

namespace qujat::xml {
namespace {

std::string code_of(std::string_view text, const ParseLimits& limits = {}) {
  try {
    Document::parse(text, limits);
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

TEST(Document, ParsesAndFindsIds) {
  auto doc = Document::parse(
      "<a xmlns:wsu=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd\">"
      "<b Id=\"x\"/><c wsu:Id=\"y\"/><d id=\"z\"/></a>");
  EXPECT_EQ(doc.ids().size(), 3u);
  EXPECT_TRUE(is_element(doc.find_id("y"), "", "c"));
  EXPECT_EQ(doc.find_id("nope"), nullptr);
  EXPECT_EQ(xmlGetID(doc.native(), BAD_CAST "x") != nullptr, true);
}

TEST(Document, RejectsHostileConstructsWithStableCodes) {
  EXPECT_EQ(code_of("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>"), "xml.doctype");
  EXPECT_EQ(code_of("<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>"), "xml.doctype");
  EXPECT_EQ(code_of("<a><b Id=\"1\"/><c Id=\"1\"/></a>"), "xml.duplicate_id");
  EXPECT_EQ(code_of("<a><b></a>"), "xml.malformed");
  EXPECT_EQ(code_of(""), "xml.malformed");
  ParseLimits small;
  small.max_bytes = 10;
  EXPECT_EQ(code_of("<a>0123456789</a>", small), "xml.too_large");
  ParseLimits shallow;
  shallow.max_depth = 3;
  EXPECT_EQ(code_of("<a><b><c><d/></c></b></a>", shallow), "xml.too_deep");
  EXPECT_EQ(code_of("<a><b><c/></b></a>", shallow), "");
  ParseLimits few;
  few.max_nodes = 3;
  EXPECT_EQ(code_of("<a><b/><b/><b/><b/></a>", few), "xml.too_many_nodes");
  // A DOCTYPE without entities is harmless.
  EXPECT_EQ(code_of("<!DOCTYPE a><a/>"), "");
}

TEST(C14n, InclusiveExclusiveAndExclusions) {
  auto doc = Document::parse("<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><!-- c --><p:x b=\"2\" a=\"1\"><q:y/></p:x><z/></r>");
  EXPECT_EQ(canonicalize(doc.native(), nullptr, C14nMethod::Inclusive),
            "<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><p:x a=\"1\" b=\"2\"><q:y></q:y></p:x><z></z></r>");
  EXPECT_EQ(canonicalize(doc.native(), nullptr, C14nMethod::InclusiveWithComments),
            "<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><!-- c --><p:x a=\"1\" b=\"2\"><q:y></q:y></p:x><z></z></r>");
  xmlNode* x = child_elements(doc.root(), "urn:p", "x").at(0);
  EXPECT_EQ(canonicalize(doc.native(), x, C14nMethod::Inclusive),
            "<p:x xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" a=\"1\" b=\"2\"><q:y></q:y></p:x>");
  EXPECT_EQ(canonicalize(doc.native(), x, C14nMethod::Exclusive),
            "<p:x xmlns:p=\"urn:p\" a=\"1\" b=\"2\"><q:y xmlns:q=\"urn:q\"></q:y></p:x>");
  xmlNode* z = child_elements(doc.root(), "", "z").at(0);
  EXPECT_EQ(canonicalize(doc.native(), nullptr, C14nMethod::Inclusive, {z}),
            "<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><p:x a=\"1\" b=\"2\"><q:y></q:y></p:x></r>");
  C14nMethod m;
  EXPECT_TRUE(c14n_from_uri("http://www.w3.org/2001/10/xml-exc-c14n#", m));
  EXPECT_EQ(m, C14nMethod::Exclusive);
  EXPECT_FALSE(c14n_from_uri("http://www.w3.org/TR/1999/REC-xslt-19991116", m));
}

TEST(Document, SerializeKeepsCarriageReturnsAsCharacterReferences) {
  auto doc = Document::parse("<a>x&#13;\ny</a>");
  EXPECT_NE(doc.serialize().find("x&#13;\ny"), std::string::npos) << doc.serialize();
}

}  // namespace
}  // namespace qujat::xml
