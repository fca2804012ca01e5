<?php
// Globals are prefixed: wp-settings.php loops over plugins and files with plain names ($plugin, $file).
// Calls wp_mail() once in the WordPress folder given, with the arguments of the JSON file given:
// {"to", "subject", "message", "headers", "attachments", "option": {"url", "key"} (saved as the settings page
// would, optional), "fromFilter": "address" (a wp_mail_from filter, optional)}.
// Prints one line "RESULT: {json}" with wp_mail()'s result and every wp_mail_failed / wp_mail_succeeded it saw.
[, $bridge_dir, $bridge_file] = $argv;
$_SERVER['HTTP_HOST']   = 'localhost';
$_SERVER['SERVER_NAME'] = 'localhost';
$_SERVER['REQUEST_URI'] = '/';
require $bridge_dir . '/wp-load.php';
$bridge_args = json_decode( file_get_contents( $bridge_file ), true );

if ( isset( $bridge_args['option'] ) ) {
	update_option( 'bridge_mail_settings', $bridge_args['option'] );
}

if ( isset( $bridge_args['fromFilter'] ) ) {
	add_filter( 'wp_mail_from', static function () use ( $bridge_args ) {
		return $bridge_args['fromFilter'];
	} );
}

$bridge_seen = array( 'failed' => array(), 'succeeded' => array() );
add_action( 'wp_mail_failed', static function ( $error ) use ( &$bridge_seen ) {
	$data             = $error->get_error_data();
	$bridge_seen['failed'][] = array(
		'class'   => get_class( $error ),
		'code'    => $error->get_error_code(),
		'message' => $error->get_error_message(),
		'status'  => $data['bridge_status'] ?? null,
		'problem' => $data['bridge_problem'] ?? null,
		'subject' => $data['subject'] ?? null,
	);
} );
add_action( 'wp_mail_succeeded', static function ( $data ) use ( &$bridge_seen ) {
	$bridge_seen['succeeded'][] = array( 'subject' => $data['subject'], 'id' => $data['bridge_message_id'] ?? null );
} );

$bridge_result = wp_mail( $bridge_args['to'], $bridge_args['subject'], $bridge_args['message'], $bridge_args['headers'] ?? '', $bridge_args['attachments'] ?? array() );
echo "\nRESULT: " . json_encode( array( 'result' => $bridge_result ) + $bridge_seen ) . "\n";
