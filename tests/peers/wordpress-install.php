<?php
// Globals are prefixed: wp-settings.php loops over plugins and files with plain names ($plugin, $file).
// Installs WordPress headless into the folder given (its wp-config.php already written) and activates the plugin
// named by the second argument ("<slug>/<file>.php"). Prints 'RESULT: "ok"' on its own line; WordPress's deprecation
// notices go to stderr (run with -d display_errors=stderr).
[, $bridge_dir, $bridge_plugin] = $argv;
define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST']   = 'localhost';
$_SERVER['SERVER_NAME'] = 'localhost';
$_SERVER['REQUEST_URI'] = '/';
require $bridge_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// wp_install() mails the admin; that mail is not the test's.
add_filter( 'pre_wp_mail', '__return_false' );
$bridge_installed = wp_install( 'Bridge test site', 'admin', 'admin@shop.example', false, '', wp_generate_password( 24 ) );
if ( is_wp_error( $bridge_installed ) ) {
	fwrite( STDERR, 'wp_install failed: ' . $bridge_installed->get_error_message() . "\n" );
	exit( 1 );
}

$bridge_activated = activate_plugin( $bridge_plugin );
if ( is_wp_error( $bridge_activated ) ) {
	fwrite( STDERR, 'activate_plugin failed: ' . $bridge_activated->get_error_message() . "\n" );
	exit( 1 );
}

echo "\nRESULT: \"ok\"\n";
