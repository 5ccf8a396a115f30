# CTest labels over the GoogleTest names (read by ctest: tests/CMakeLists.txt
# appends this file to TEST_INCLUDE_FILES, after gtest_discover_tests has
# defined each binary's tests and their list test_NAME_TESTS). Labels by
# name, not by binary, because a binary mixes kinds:
#   thread     the tests that start threads or a server: ThreadSanitizer runs
#              exactly these (scripts/sanitize thread)
#   sanitize   every parser of untrusted input and every thread: the quick
#              ASan/UBSan/LSan pass (scripts/sanitize address -L sanitize);
#              the fuzz replays (Fuzz.*) carry it from tests/fuzz/CMakeLists.txt
# A new multi-threaded test names itself so (Concurrent..., ...Threads...) or
# its suite is added here; docs/quality.md lists what each label holds.
set(qujat_thread_tests "Concurren|Threads|OnlineRevocation|HttpServer\\.|KilledWhileIssuing")
set(qujat_parser_tests
    "^(Files/)?(HostileCorpus|HostileLimits|HostileWording|MalformedInput|Mutation|PdfHostile|PdfSignature|CheckRobustness|ReadApplication|CheckCli|Cms|CmsTimestamp|WsSecurity|XmlDsigNca|NcaRevocation|NcaChain|InteropReal|Base64|VerifyCli|ConfigFolder|ConfigMistake|BadYearFile|JsonBody|PercentDecode|Query|Target|Router|Headers|Schema)\\.")
foreach(suite common model i18n pki xml dsig store docs render config workflow templates cli http)
  foreach(test IN LISTS test_${suite}_TESTS)
    set(labels "")
    if(test MATCHES "${qujat_thread_tests}")
      list(APPEND labels thread sanitize)
    elseif(test MATCHES "${qujat_parser_tests}")
      list(APPEND labels sanitize)
    endif()
    if(labels)
      set_tests_properties("${test}" PROPERTIES LABELS "${labels}")
    endif()
  endforeach()
endforeach()
