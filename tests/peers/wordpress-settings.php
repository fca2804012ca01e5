<?php
// Globals are prefixed: wp-settings.php loops over plugins and files with plain names ($plugin, $file).
// Drives the plugin's settings page in the WordPress folder given, as options.php would: saves the option through
// its sanitize callback, renders the page as the administrator and as a visitor. Prints one line "RESULT: {json}".
[, $bridge_dir] = $argv;
$_SERVER['HTTP_HOST']   = 'localhost';
$_SERVER['SERVER_NAME'] = 'localhost';
$_SERVER['REQUEST_URI'] = '/wp-admin/options-general.php?page=bridge-mail';
require $bridge_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
do_action( 'admin_init' );

$bridge_report = array();
delete_option( 'bridge_mail_settings' );
update_option( 'bridge_mail_settings', array( 'url' => ' https://bridge.example.net/api/ ', 'key' => 'stored-secret-key-1234' ) );
$bridge_report['saved'] = get_option( 'bridge_mail_settings' );

// A second save with an empty key field and a URL that is not http(s).
update_option( 'bridge_mail_settings', array( 'url' => 'javascript:alert(1)', 'key' => '' ) );
$bridge_report['resaved'] = get_option( 'bridge_mail_settings' );
$bridge_report['errors']  = wp_list_pluck( get_settings_errors( 'bridge_mail_settings' ), 'code' );
update_option( 'bridge_mail_settings', array( 'url' => 'https://bridge.example.net/api?"><b>x</b>', 'key' => '' ) );

wp_set_current_user( 1 );
ob_start();
bridge_mail_render_settings_page();
$bridge_report['page'] = ob_get_clean();

add_filter( 'wp_die_handler', static function () {
	return static function ( $message ) {
		throw new RuntimeException( is_string( $message ) ? $message : 'wp_die' );
	};
} );
wp_set_current_user( 0 );
try {
	ob_start();
	bridge_mail_render_settings_page();
	$bridge_report['visitor'] = ob_get_clean();
} catch ( RuntimeException $e ) {
	ob_end_clean();
	$bridge_report['visitor'] = 'denied: ' . $e->getMessage();
}

echo "\nRESULT: " . json_encode( $bridge_report ) . "\n";
