/*
 * ref_msg.c - the message table: one English text per HRESULT the
 * reference can report or a client may ask about (every BITS and DO code,
 * the generic COM/Win32 codes, each HTTP status), and the texts of the
 * error contexts.  IBackgroundCopyManager::GetErrorDescription,
 * IBackgroundCopyError's description methods and
 * IDeliveryOptimizationJob2's ExtendedErrorInfo all read it
 * (docs/decisions.md R23).  The texts are our own wording.  Layer base
 * (declared in ref_util.h).
 */
#include "ref_util.h"

#include <stdio.h>
#include <string.h>

/* X(constant, text) */
#define REF_MESSAGES(X)                                                        \
    X(S_OK, u"The operation completed successfully.")                          \
    X(S_FALSE, u"The operation completed but returned less than asked for.")   \
    X(E_NOTIMPL, u"The request is not supported for this object.")             \
    X(E_NOINTERFACE, u"The object does not support the requested interface.")  \
    X(E_POINTER, u"A required pointer argument was NULL.")                     \
    X(E_ABORT, u"The operation was aborted.")                                  \
    X(E_FAIL, u"An unspecified failure occurred.")                             \
    X(E_UNEXPECTED, u"An unexpected failure occurred.")                        \
    X(E_PENDING, u"The data needed to complete the operation is not yet "      \
                 u"available.")                                                \
    X(E_ACCESSDENIED, u"Access is denied.")                                    \
    X(E_HANDLE, u"The handle is invalid.")                                     \
    X(E_OUTOFMEMORY, u"There is not enough memory to complete the "            \
                     u"operation.")                                            \
    X(E_INVALIDARG, u"One or more arguments are not valid.")                   \
    X(E_NOT_SET, u"The property has not been set.")                            \
    X(CLASS_E_NOAGGREGATION, u"The class does not support aggregation.")       \
    X(CLASS_E_CLASSNOTAVAILABLE, u"The class is not available from this "      \
                                 u"server.")                                   \
    X(REGDB_E_CLASSNOTREG, u"The class is not registered.")                    \
    X(CO_E_NOTINITIALIZED, u"COM has not been initialized.")                   \
    X(DISP_E_TYPEMISMATCH, u"The value has the wrong type.")                   \
    X(INET_E_INVALID_URL, u"The URL is not valid.")                            \
    X(CRYPT_E_FILE_ERROR, u"The certificate data could not be read.")          \
    X(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND),                                \
      u"The system cannot find the file specified.")                           \
    X(HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),                                \
      u"The system cannot find the path specified.")                           \
    X(HRESULT_FROM_WIN32(ERROR_INVALID_NAME),                                  \
      u"The file name, directory name or volume label syntax is not valid.")   \
    X(HRESULT_FROM_WIN32(ERROR_DISK_FULL), u"There is not enough space on "    \
                                           u"the disk.")                       \
    X(HRESULT_FROM_WIN32(19L) /* ERROR_WRITE_PROTECT */,                       \
      u"The media is write protected.")                                        \
    X(HRESULT_FROM_WIN32(29L) /* ERROR_WRITE_FAULT */,                         \
      u"The system cannot write to the specified device.")                     \
    X(HRESULT_FROM_WIN32(50L) /* ERROR_NOT_SUPPORTED */,                       \
      u"The request is not supported.")                                        \
    X(HRESULT_FROM_WIN32(206L) /* ERROR_FILENAME_EXCED_RANGE */,               \
      u"The filename or extension is too long.")                               \
    X(HRESULT_FROM_WIN32(223L) /* ERROR_FILE_TOO_LARGE */,                     \
      u"The file size exceeds the limit allowed and cannot be saved.")         \
    X(HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED), u"The service is disabled.") \
    X(HRESULT_FROM_WIN32(ERROR_SERVICE_NOT_ACTIVE),                            \
      u"The service has not been started.")                                    \
    X(HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND),                       \
      u"No text exists for the requested language.")                           \
    X(HRESULT_FROM_WIN32(ERROR_TIMEOUT), u"The operation timed out.")          \
    X(BG_E_NOT_FOUND, u"The requested job was not found.")                     \
    X(BG_E_INVALID_STATE, u"The requested action is not allowed in the "       \
                          u"current job state.")                               \
    X(BG_E_EMPTY, u"There are no files attached to this job. Attach files "    \
                  u"to the job, and then try again.")                          \
    X(BG_E_FILE_NOT_AVAILABLE, u"No file is available because no URL "         \
                               u"generated an error.")                         \
    X(BG_E_PROTOCOL_NOT_AVAILABLE, u"No protocol is available because no "     \
                                   u"URL generated an error.")                 \
    X(BG_S_ERROR_CONTEXT_NONE, u"An error has not occurred.")                  \
    X(BG_E_ERROR_CONTEXT_UNKNOWN, u"The error occurred in an unknown "         \
                                  u"location.")                                \
    X(BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER,                                \
      u"The error occurred in the transfer queue manager.")                    \
    X(BG_E_ERROR_CONTEXT_LOCAL_FILE, u"The error occurred while the local "    \
                                     u"file was being processed. Verify "      \
                                     u"that the file is not in use, and then " \
                                     u"try again.")                            \
    X(BG_E_ERROR_CONTEXT_REMOTE_FILE,                                          \
      u"The error occurred while the remote file was being processed.")        \
    X(BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT,                                    \
      u"The error occurred in the transport layer. The client could not "      \
      u"connect to the server.")                                               \
    X(BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION,                           \
      u"The error occurred while the notification callback was being "         \
      u"processed.")                                                           \
    X(BG_E_DESTINATION_LOCKED, u"The destination file system volume is "       \
                               u"not available. Verify that another "          \
                               u"program is not using the volume.")            \
    X(BG_E_VOLUME_CHANGED, u"The destination volume has changed.")             \
    X(BG_E_ERROR_INFORMATION_UNAVAILABLE, u"No errors have occurred.")         \
    X(BG_E_NETWORK_DISCONNECTED, u"There are currently no active network "     \
                                 u"connections.")                              \
    X(BG_E_MISSING_FILE_SIZE, u"The server did not return the file size. "     \
                              u"The URL might point to dynamic content.")      \
    X(BG_E_INSUFFICIENT_HTTP_SUPPORT, u"The server does not support "          \
                                      u"HTTP 1.1.")                            \
    X(BG_E_INSUFFICIENT_RANGE_SUPPORT,                                         \
      u"The server does not support the necessary HTTP protocol: range "       \
      u"requests with Content-Range.")                                         \
    X(BG_E_REMOTE_NOT_SUPPORTED, u"The transfer service cannot be used "       \
                                 u"remotely.")                                 \
    X(BG_E_NEW_OWNER_DIFF_MAPPING, u"The drive mapping for the job is "        \
                                   u"different for the current owner than "    \
                                   u"for the previous owner.")                 \
    X(BG_E_NEW_OWNER_NO_FILE_ACCESS, u"The new owner cannot access the "       \
                                     u"job's local files.")                    \
    X(BG_S_PARTIAL_COMPLETE, u"Some of the transferred files were deleted "    \
                             u"because they were incomplete.")                 \
    X(BG_E_PROXY_LIST_TOO_LARGE, u"The proxy list is too long.")               \
    X(BG_E_PROXY_BYPASS_LIST_TOO_LARGE, u"The proxy bypass list is too "       \
                                        u"long.")                              \
    X(BG_S_UNABLE_TO_DELETE_FILES, u"Some of the temporary files could not "   \
                                   u"be deleted.")                             \
    X(BG_E_INVALID_SERVER_RESPONSE, u"The server's response was not "          \
                                    u"valid.")                                 \
    X(BG_E_TOO_MANY_FILES, u"No more files can be added to this job.")         \
    X(BG_E_LOCAL_FILE_CHANGED, u"The local file was changed during the "       \
                               u"transfer.")                                   \
    X(BG_E_ERROR_CONTEXT_REMOTE_APPLICATION,                                   \
      u"The error was reported by the server application.")                    \
    X(BG_E_SESSION_NOT_FOUND, u"The upload session was not found on the "      \
                              u"server.")                                      \
    X(BG_E_TOO_LARGE, u"The upload or reply is larger than the maximum "       \
                      u"size allowed.")                                        \
    X(BG_E_STRING_TOO_LONG, u"The string is too long.")                        \
    X(BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH,                                    \
      u"The client and server versions of the upload protocol do not "         \
      u"match.")                                                               \
    X(BG_E_SERVER_EXECUTE_ENABLE, u"Scripting or execute permissions are "     \
                                  u"enabled on the server's upload "           \
                                  u"directory.")                               \
    X(BG_E_NO_PROGRESS, u"The job is not making progress.")                    \
    X(BG_E_USERNAME_TOO_LARGE, u"The user name is too long.")                  \
    X(BG_E_PASSWORD_TOO_LARGE, u"The password is too long.")                   \
    X(BG_E_INVALID_AUTH_TARGET, u"The authentication target is not valid.")    \
    X(BG_E_INVALID_AUTH_SCHEME, u"The authentication scheme is not valid.")    \
    X(BG_E_FILE_NOT_FOUND, u"The specified file was not found.")               \
    X(BG_S_PROXY_CHANGED, u"The proxy server was changed.")                    \
    X(BG_E_INVALID_RANGE, u"The requested byte range extends beyond the end "  \
                          u"of the file or is not valid.")                     \
    X(BG_E_OVERLAPPING_RANGES, u"The list of byte ranges contains "            \
                               u"overlapping or duplicate ranges.")            \
    X(BG_E_CONNECT_FAILURE, u"The connection to the server failed.")           \
    X(BG_E_CONNECTION_CLOSED, u"The connection was closed.")                   \
    X(BG_E_KEEP_ALIVE_FAILURE, u"A kept-alive connection was closed.")         \
    X(BG_E_MESSAGE_LENGTH_LIMIT_EXCEEDED, u"A message exceeded the length "    \
                                          u"limit.")                           \
    X(BG_E_NAME_RESOLUTION_FAILURE, u"The server name could not be "           \
                                    u"resolved.")                              \
    X(BG_E_PENDING, u"The operation is pending.")                              \
    X(BG_E_PIPELINE_FAILURE, u"A pipelined request failed.")                   \
    X(BG_E_PROTOCOL_ERROR, u"A protocol error occurred.")                      \
    X(BG_E_PROXY_NAME_RESOLUTION_FAILURE, u"The proxy name could not be "      \
                                          u"resolved.")                        \
    X(BG_E_RECEIVE_FAILURE, u"Data could not be received from the server.")    \
    X(BG_E_REQUEST_CANCELED, u"The request was cancelled.")                    \
    X(BG_E_SECURE_CHANNEL_FAILURE, u"A secure channel could not be "           \
                                   u"established.")                            \
    X(BG_E_SEND_FAILURE, u"Data could not be sent to the server.")             \
    X(BG_E_SERVER_PROTOCOL_VIOLATION, u"The server violated the protocol.")    \
    X(BG_E_TIMEOUT, u"The operation timed out.")                               \
    X(BG_E_TRUST_FAILURE, u"The server certificate is not trusted.")           \
    X(BG_E_UNKNOWN_ERROR, u"An unknown error occurred.")                       \
    X(BG_E_BLOCKED_BY_POLICY, u"Group Policy settings block background "       \
                              u"transfers.")                                   \
    X(BG_E_INVALID_PROXY_INFO, u"The proxy list or proxy bypass list is not "  \
                               u"valid.")                                      \
    X(BG_E_INVALID_CREDENTIALS, u"The credentials are not valid.")             \
    X(BG_E_INVALID_HASH_ALGORITHM, u"The hash algorithm is not valid.")        \
    X(BG_E_RECORD_DELETED, u"The cache record was deleted.")                   \
    X(BG_E_COMMIT_IN_PROGRESS, u"A commit is in progress.")                    \
    X(BG_E_DISCOVERY_IN_PROGRESS, u"Peer discovery is in progress.")           \
    X(BG_E_UPNP_ERROR, u"The Internet gateway device returned an error.")      \
    X(BG_E_TEST_OPTION_BLOCKED_DOWNLOAD, u"A test option blocked the "         \
                                         u"download.")                         \
    X(BG_E_PEERCACHING_DISABLED, u"Peer caching is disabled.")                 \
    X(BG_E_BUSYCACHERECORD, u"The cache record is in use.")                    \
    X(BG_E_TOO_MANY_JOBS_PER_USER, u"The user has reached the maximum "        \
                                   u"number of jobs.")                         \
    X(BG_E_TOO_MANY_JOBS_PER_MACHINE, u"The computer has reached the "         \
                                      u"maximum number of jobs.")              \
    X(BG_E_TOO_MANY_FILES_IN_JOB, u"The job has reached the maximum number "   \
                                  u"of files.")                                \
    X(BG_E_TOO_MANY_RANGES_IN_FILE, u"The file has reached the maximum "       \
                                    u"number of byte ranges.")                 \
    X(BG_E_VALIDATION_FAILED, u"The content of the file failed "               \
                              u"validation.")                                  \
    X(BG_E_MAXDOWNLOAD_TIMEOUT, u"The job exceeded its maximum download "      \
                                u"time.")                                      \
    X(BG_S_OVERRIDDEN_BY_POLICY, u"The setting was saved but Group Policy "    \
                                 u"overrides it.")                             \
    X(BG_E_TOKEN_REQUIRED, u"The job needs a helper token to continue.")       \
    X(BG_E_UNKNOWN_PROPERTY_ID, u"The property identifier is not known.")      \
    X(BG_E_READ_ONLY_PROPERTY, u"The property cannot be changed.")             \
    X(BG_E_BLOCKED_BY_COST_TRANSFER_POLICY,                                    \
      u"The job's cost policy does not allow transfers on the current "        \
      u"network.")                                                             \
    X(BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,                          \
      u"The property is supported for download jobs only.")                    \
    X(BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE,                                   \
      u"The property cannot be changed after a file was added to the job.")    \
    X(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME,                                    \
      u"The property cannot be changed after the job was resumed.")            \
    X(BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE, u"The maximum download size is "   \
                                            u"not valid.")                     \
    X(BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED,                                    \
      u"The download exceeded the job's maximum download size.")               \
    X(BG_E_STANDBY_MODE, u"The transfer was stopped because the computer "     \
                         u"entered standby.")                                  \
    X(BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED,                               \
      u"Stored credentials can be used only for proxy authentication.")        \
    X(BG_E_BLOCKED_BY_BATTERY_POLICY, u"The battery policy blocks the "        \
                                      u"transfer.")                            \
    X(BG_E_BLOCKED_BY_BATTERY_SAVER, u"Battery saver blocks the transfer.")    \
    X(BG_E_WATCHDOG_TIMEOUT, u"The transfer service's watchdog timed out.")    \
    X(BG_E_APP_PACKAGE_NOT_FOUND, u"The application package was not "          \
                                  u"found.")                                   \
    X(BG_E_APP_PACKAGE_SCENARIO_NOT_SUPPORTED,                                 \
      u"The operation is not supported for application packages.")             \
    X(BG_E_DATABASE_CORRUPT, u"The job database is corrupt.")                  \
    X(BG_E_RANDOM_ACCESS_NOT_SUPPORTED, u"The server does not support "        \
                                        u"random access to the file.")         \
    X(BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY,                                \
      u"The background access policy blocks the transfer.")                    \
    X(BG_E_BLOCKED_BY_GAME_MODE, u"Game mode blocks the transfer.")            \
    X(BG_E_BLOCKED_BY_SYSTEM_POLICY, u"A system policy blocks the "            \
                                     u"transfer.")                             \
    X(BG_E_NOT_SUPPORTED_WITH_CUSTOM_HTTP_METHOD,                              \
      u"The operation is not supported with a custom HTTP method.")            \
    X(BG_E_UNSUPPORTED_JOB_CONFIGURATION, u"The job's settings cannot be "     \
                                          u"combined.")                        \
    X(BG_E_REMOTE_FILE_CHANGED, u"The remote file changed during the "         \
                                u"transfer.")                                  \
    X(BG_E_SERVER_CERT_VALIDATION_INTERFACE_REQUIRED,                          \
      u"A server certificate validation interface is required.")               \
    X(BG_E_READ_ONLY_WHEN_JOB_ACTIVE, u"The property cannot be changed "       \
                                      u"while the job is active.")             \
    X(BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK,                          \
      u"The error occurred in the server certificate validation callback.")    \
    X(DO_E_NO_SERVICE, u"Delivery Optimization was unable to provide the "     \
                       u"service.")                                            \
    X(DO_E_DOWNLOAD_NO_PROGRESS, u"The download made no progress within "      \
                                 u"the allowed time.")                         \
    X(DO_E_JOB_NOT_FOUND, u"The requested job was not found.")                 \
    X(DO_E_JOB_EMPTY, u"The job has no files.")                                \
    X(DO_E_NO_DOWNLOADS, u"No downloads exist.")                               \
    X(DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED,                                \
      u"Downloads to a memory stream are not supported.")                      \
    X(DO_E_JOB_TOO_OLD, u"The job was neither completed nor cancelled "        \
                        u"before it reached its maximum age.")                 \
    X(DO_E_LOCALPATH_NOT_SET, u"No local path was set for the download.")      \
    X(DO_E_FILE_NOT_AVAILABLE, u"No file is available because the error is "   \
                               u"not tied to a URL.")                          \
    X(DO_E_UNKNOWN_PROPERTY_ID, u"The property identifier is not known.")      \
    X(DO_E_READ_ONLY_PROPERTY, u"The property is read-only.")                  \
    X(DO_E_INVALID_STATE, u"The requested action is not allowed in the "       \
                          u"current state.")                                   \
    X(DO_E_ERROR_INFORMATION_UNAVAILABLE, u"No error has occurred.")           \
    X(DO_E_WRITE_ONLY_PROPERTY, u"The property is write-only.")                \
    X(DO_E_INTEGRITYCHECKINFO_UNSPECIFIED,                                     \
      u"An integrity check is required but no integrity information was "      \
      u"given.")                                                               \
    X(DO_E_INTEGRITYCHECKINFO_UNAVAILABLE,                                     \
      u"The integrity information could not be retrieved.")                    \
    X(DO_E_FILE_DOWNLOADSINK_UNSPECIFIED, u"No download sink was set.")        \
    X(DO_E_FILE_DOWNLOADSINK_ALREADY_SET, u"A different kind of download "     \
                                          u"sink is already set.")             \
    X(DO_E_FILE_SIZE_UNKNOWN_HTTP_200, u"The file size could not be "          \
                                       u"derived from the HTTP 200 "           \
                                       u"response.")                           \
    X(DO_E_FILE_ENCRYPTION_EXPECTED, u"Decryption information was given but "  \
                                     u"the content is not encrypted.")         \
    X(DO_E_FILE_SIZE_UNKNOWN_HTTP_206, u"The file size could not be "          \
                                       u"derived from the HTTP 206 "           \
                                       u"response.")                           \
    X(DO_E_FILE_SIZE_UNKNOWN_HTTP_2XX, u"The file size could not be "          \
                                       u"derived from the HTTP response.")     \
    X(DO_E_NETWORK_ACCESS_CONSENT_NEEDED, u"The user must consent to "         \
                                          u"network access.")                  \
    X(DO_E_DOWNLOAD_NO_URI, u"The download was started without a URI.")        \
    X(DO_E_DOWNLOAD_NO_CONTENT_ID, u"The download was started without a "      \
                                   u"content identifier.")                     \
    X(DO_E_INVALID_CONTENT_ID, u"The content identifier is not valid.")        \
    X(DO_E_DOWNLOAD_RANGES_UNEXPECTED, u"Byte ranges are not allowed for "     \
                                       u"this download.")                      \
    X(DO_E_DOWNLOAD_RANGES_EXPECTED, u"This download requires byte "           \
                                     u"ranges.")                               \
    X(DO_E_NO_DOWNLOAD_PARTICIPATION, u"The download was refused by "          \
                                      u"participation throttling.")            \
    X(DO_E_NO_DOWNLOAD_EXTSETTINGS, u"The download was refused by user or "    \
                                    u"administrator settings.")                \
    X(DO_E_BLOCKED_BY_COST_TRANSFER_POLICY,                                    \
      u"The download is paused by its cost policy.")                           \
    X(DO_E_DOWNLOADMODE_SET_BY_CP, u"The download mode is limited by the "     \
                                   u"content policy.")                         \
    X(DO_E_BLOCKED_BY_CELLULAR_POLICY, u"The download is paused on a "         \
                                       u"cellular network by policy.")         \
    X(DO_E_BLOCKED_BY_POWER_STATE, u"The download is paused while on "         \
                                   u"battery power.")                          \
    X(DO_E_BLOCKED_BY_NO_NETWORK, u"The download is paused because there is "  \
                                  u"no network.")                              \
    X(DO_E_DOWNLOADMODE_SET_BY_POLICY, u"The download mode is limited by "     \
                                       u"policy.")                             \
    X(DO_E_BLOCKED_BY_VPN_POLICY, u"The download is paused because a VPN "     \
                                  u"is in use.")                               \
    X(DO_E_BLOCKED_BY_CRITICAL_MEMORY_USAGE,                                   \
      u"The download is paused because memory is critically low.")             \
    X(DO_E_DOWNLOADMODE_SET_BY_CACHE_ABSENCE,                                  \
      u"The download mode is limited because no cache folder exists.")         \
    X(DO_E_CLOUD_SERVICES_UNREACHABLE, u"The Delivery Optimization cloud "     \
                                       u"services are unreachable.")           \
    X(DO_E_DOWNLOADMODE_SET_FOR_UNREG_CALLER,                                  \
      u"The download mode is limited because the caller is not "               \
      u"registered.")                                                          \
    X(DO_E_DOWNLOADMODE_SET_FOR_SIMPLE_RANGES,                                 \
      u"The download mode is limited for a simple range download.")            \
    X(DO_E_UNEXPECTED_HTTP_STATUS_2XX, u"The server returned an unexpected "   \
                                       u"2xx status.")                         \
    X(DO_E_HTTP_BLOCKSIZE_MISMATCH, u"The server returned a different "        \
                                    u"amount of data than requested.")         \
    X(DO_E_HTTP_CERT_VALIDATION, u"The server certificate failed "             \
                                 u"validation.")                               \
    X(DO_E_INVALID_RANGE, u"The byte range is not valid.")                     \
    X(DO_E_INSUFFICIENT_RANGE_SUPPORT, u"The server does not support HTTP "    \
                                       u"range requests.")                     \
    X(DO_E_OVERLAPPING_RANGES, u"The byte ranges overlap.")                    \
    X(DO_E_UPLOADING_BAD_PIECES, u"Too many bad pieces were uploaded.")        \
    X(DO_E_FATAL_CORE_ERROR, u"A fatal error occurred in Delivery "            \
                             u"Optimization.")                                 \
    X(DO_E_SERVICES_RESPONSE_EMPTY, u"The services returned an empty "         \
                                    u"response.")                              \
    X(DO_E_BAD_INCOMING_DATA, u"Incoming piece data was bad or "               \
                              u"incomplete.")                                  \
    X(DO_E_BAD_PIECE_HASH, u"A piece failed its hash check.")                  \
    X(DO_E_BAD_PIECE_HASH_NO_BAN, u"A piece failed its hash check; the "       \
                                  u"source is not banned yet.")                \
    X(DO_E_ALREADY_HAVE_PIECE, u"The piece is already cached.")                \
    X(DO_E_MISSING_PIECE, u"The requested piece is no longer cached.")         \
    X(DO_E_METAINFO_PARSE_JSON, u"The metadata could not be parsed.")          \
    X(DO_E_METAINFO_VERSION, u"The metadata version is not valid.")            \
    X(DO_E_SWARM_NOT_RUNNING, u"The swarm is not running.")                    \
    X(DO_E_UNRECOGNIZED_CONN, u"The connection was not recognized.")           \
    X(DO_E_PEER_BANNED, u"The peer is banned.")                                \
    X(DO_E_CONNECT_TO_SELF, u"The peer tried to connect to itself.")           \
    X(DO_E_ALREADY_CONNECTED, u"The peer is already connected.")               \
    X(DO_E_NO_MORE_CONNECTIONS, u"No more connections are allowed.")           \
    X(DO_E_LOST_CONNECTION, u"The connection was lost.")                       \
    X(DO_E_UNRECOGNIZED_SWARM, u"The swarm was not recognized.")               \
    X(DO_E_INVALID_HANDSHAKE_LEN, u"The handshake length is not valid.")       \
    X(DO_E_SOCKET_CLOSED, u"The socket was closed.")                           \
    X(DO_E_PEER_MSG_TOO_LONG, u"A peer message was too long.")                 \
    X(DO_E_INVALID_PEER_MSG, u"A peer message was not valid.")                 \
    X(DO_E_PEER_IS_UPLOAD, u"The peer is uploading only.")                     \
    X(DO_E_PIN_FAIL_NO_PEERING, u"The swarm cannot be pinned without "         \
                                u"peering.")                                   \
    X(DO_E_DELETE_PINNED_SWARM, u"A pinned swarm cannot be deleted.")          \
    X(DO_E_METAINFO_DIGEST_MATCH, u"The metadata digest does not match.")      \
    X(DO_E_METAINFO_HOH_MATCH, u"The metadata hash of hashes does not "        \
                               u"match.")                                      \
    X(DO_E_METAINFO_HOH_FINAL_MATCH, u"The final hash of hashes does not "     \
                                     u"match.")                                \
    X(DO_E_METAINFO_CONTENT_LENGTH, u"The metadata content length is not "     \
                                    u"valid.")                                 \
    X(DO_E_METAINFO_PIECE_SIZE, u"The metadata piece size is not valid.")      \
    X(DO_E_METAINFO_PARSE_HOH, u"The hash of hashes could not be parsed.")     \
    X(DO_E_METAINFO_PARSE_PIECEHASHES, u"The piece hashes could not be "       \
                                       u"parsed.")                             \
    X(DO_E_METAINFO_PARSE_ONE_PIECEHASH, u"A piece hash could not be "         \
                                         u"parsed.")                           \
    X(DO_E_METAINFO_FILE_SIZE, u"The metadata file size is not valid.")        \
    X(DO_E_PHF_DIGESTMATCH_POTENTIAL_PROXYSERVER,                              \
      u"The piece hash file digest does not match; a proxy server may have "   \
      u"changed it.")                                                          \
    X(DO_E_PHF_PARSEJSON_POTENTIAL_PROXYSERVER,                                \
      u"The piece hash file could not be parsed; a proxy server may have "     \
      u"changed it.")

struct msg_row {
    HRESULT hr;
    const WCHAR *text;
};

static const struct msg_row msg_rows[] = {
#define MSG_ROW(code, text) {code, text},
    REF_MESSAGES(MSG_ROW)
#undef MSG_ROW
};

/* Reason phrases of the HTTP statuses that have a BG_E_HTTP_ERROR_*
 * constant; other FACILITY_HTTP codes get the bare status (R23). */
static const struct {
    unsigned status;
    const char *reason;
} http_reasons[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found (redirect)"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Payload Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {449, "Retry With"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

/* Texts of the BG_ERROR_CONTEXT values (the BG_E_ERROR_CONTEXT_* codes
 * are their message ids). */
static HRESULT context_code(BG_ERROR_CONTEXT ctx)
{
    switch (ctx) {
    case BG_ERROR_CONTEXT_NONE:
        return BG_S_ERROR_CONTEXT_NONE;
    case BG_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER:
        return BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER;
    case BG_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION:
        return BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION;
    case BG_ERROR_CONTEXT_LOCAL_FILE:
        return BG_E_ERROR_CONTEXT_LOCAL_FILE;
    case BG_ERROR_CONTEXT_REMOTE_FILE:
        return BG_E_ERROR_CONTEXT_REMOTE_FILE;
    case BG_ERROR_CONTEXT_GENERAL_TRANSPORT:
        return BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT;
    case BG_ERROR_CONTEXT_REMOTE_APPLICATION:
        return BG_E_ERROR_CONTEXT_REMOTE_APPLICATION;
    case BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK:
        return BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK;
    default:
        return BG_E_ERROR_CONTEXT_UNKNOWN;
    }
}

const WCHAR *ref_msg_text(HRESULT hr)
{
    for (size_t i = 0; i < sizeof msg_rows / sizeof msg_rows[0]; i++)
        if (msg_rows[i].hr == hr)
            return msg_rows[i].text;
    return NULL;
}

/* English for LanguageId `lang` (R23)? */
static int lang_is_english(DWORD lang, int zero_ok)
{
    if (lang == 0)
        return zero_ok;
    return lang == MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US) ||
           lang == MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT) ||
           lang == MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT);
}

HRESULT ref_msg_describe(HRESULT hr, DWORD lang, int zero_ok, LPWSTR *out)
{
    const WCHAR *text;
    char buf[160];
    *out = NULL;
    if (lang == 0 && !zero_ok)
        return E_INVALIDARG;
    if (!lang_is_english(lang, zero_ok))
        return HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND);
    text = ref_msg_text(hr);
    if (text)
        return ref_task_wcsdup(text, out);
    if (((uint32_t)hr & 0xFFFF0000u) == 0x80190000u) {
        unsigned status = (unsigned)hr & 0xFFFFu;
        const char *reason = NULL;
        for (size_t i = 0; i < sizeof http_reasons / sizeof http_reasons[0];
             i++)
            if (http_reasons[i].status == status)
                reason = http_reasons[i].reason;
        if (reason)
            snprintf(buf, sizeof buf,
                     "The server returned HTTP status %u (%s).", status,
                     reason);
        else
            snprintf(buf, sizeof buf, "The server returned HTTP status %u.",
                     status);
    } else if (((uint32_t)hr & 0xFFFF0000u) == 0x80070000u &&
               ((unsigned)hr & 0xFFFFu) >= 300 &&
               ((unsigned)hr & 0xFFFFu) < 400) {
        /* A redirect refused by BG_HTTP_REDIRECT_POLICY_DISALLOW (E1). */
        snprintf(buf, sizeof buf,
                 "The server redirected the request (HTTP status %u) and the "
                 "job's redirect policy does not allow it.",
                 (unsigned)hr & 0xFFFFu);
    } else {
        snprintf(buf, sizeof buf, "Unknown error (0x%08X).", (unsigned)hr);
    }
    return ref_task_widen(buf, out);
}

HRESULT ref_msg_describe_context(BG_ERROR_CONTEXT ctx, DWORD lang, LPWSTR *out)
{
    return ref_msg_describe(context_code(ctx), lang, 0, out);
}
