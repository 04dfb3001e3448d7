# The Debian package (scripts/package.sh): install() rules for what goes
# beside the two programs, and CPack's DEB generator. Runtime dependencies
# are computed by dpkg-shlibdeps from the binaries, never typed here.
# Version: IMEIFLOW_VERSION, the one cmake/Version.cmake sets for --version.

set(pkg "${PROJECT_SOURCE_DIR}/packaging")
install(FILES "${pkg}/imeiflow.toml" DESTINATION /etc/imeiflow
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES "${pkg}/imeiflow.service" DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Debian wants the changelog compressed reproducibly (gzip -9n).
set(changelog_gz "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz")
file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/packaging")
configure_file("${pkg}/changelog" "${PROJECT_BINARY_DIR}/packaging/changelog" COPYONLY)
execute_process(COMMAND gzip -9nc "${PROJECT_BINARY_DIR}/packaging/changelog"
                OUTPUT_FILE "${changelog_gz}" COMMAND_ERROR_IS_FATAL ANY)
install(FILES "${changelog_gz}" "${pkg}/copyright" "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION share/doc/imeiflow
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME imeiflow)
set(CPACK_PACKAGE_VERSION "${IMEIFLOW_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_SOURCE_DIR}/build/package")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "imeiflow maintainers <maintainers@imeiflow.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "order IMEI services from GSM Fusion suppliers, exactly once")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A shop's web application and dispatcher: paste or upload IMEIs, order a\nservice for each from the supplier exactly once, follow the results and\nthe money spent. Runs as the imeiflow systemd service.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/imeiflow")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# postinst runs adduser.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${pkg}/conffiles" "${pkg}/postinst" "${pkg}/prerm" "${pkg}/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
