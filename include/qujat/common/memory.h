// Ownership of C library objects: every OpenSSL, libxml2, xmlsec, PoDoFo-free
// C pointer lives in a std::unique_ptr whose deleter is the library's own free
// function, so no code path needs a hand-written cleanup.
//
//   auto cert = qujat::make_unique_ptr<X509_free>(d2i_X509(nullptr, &p, len));
//   qujat::UniquePtr<BIO, BIO_free_all> bio{BIO_new(BIO_s_mem())};
#pragma once

#include <memory>

namespace qujat {

template <auto Free>
struct CDeleter {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p != nullptr) Free(p);
  }
};

template <class T, auto Free>
using UniquePtr = std::unique_ptr<T, CDeleter<Free>>;

template <auto Free, class T>
[[nodiscard]] UniquePtr<T, Free> make_unique_ptr(T* p) noexcept {
  return UniquePtr<T, Free>(p);
}

}  // namespace qujat
