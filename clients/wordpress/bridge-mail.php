<?php
/**
 * Plugin Name:       Bridge Mail
 * Description:       Sends every wp_mail() through Bridge's HTTP API (POST {BRIDGE_URL}/v1/messages) instead of PHP's mail().
 * Version:           1.0.0
 * Requires at least: 5.7
 * Requires PHP:      7.4
 * Text Domain:       bridge-mail
 *
 * Settings: define BRIDGE_URL (the API base including /api, e.g. https://bridge.example.net/api) and
 * BRIDGE_API_KEY (a key with the send scope) in wp-config.php, or fill in Settings → Bridge Mail.
 * Until both are set, wp_mail() sends as WordPress does without this plugin.
 *
 * @package BridgeMail
 */

defined( 'ABSPATH' ) || exit;

/** The option that holds the settings page's values (used only where the constants are absent). */
const BRIDGE_MAIL_OPTION = 'bridge_mail_settings';

/**
 * Headers Bridge writes itself or takes from its own fields; it refuses a request that sets them in `headers`.
 * MIME-Version and X-Mailer are dropped by wp_mail() too; the others describe a mail Bridge composes anew.
 */
const BRIDGE_MAIL_RESERVED_HEADERS = array(
	'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'message-id', 'date', 'mime-version',
	'return-path', 'received', 'x-mailer',
);

add_filter( 'pre_wp_mail', 'bridge_mail_pre_wp_mail', 10, 2 );
add_action( 'admin_menu', 'bridge_mail_admin_menu' );
add_action( 'admin_init', 'bridge_mail_register_setting' );

/**
 * The API base and key: the wp-config.php constants when defined, else the settings page's option.
 *
 * @return array{url: string, key: string, from_constants: bool}
 */
function bridge_mail_settings() {
	if ( defined( 'BRIDGE_URL' ) || defined( 'BRIDGE_API_KEY' ) ) {
		return array(
			'url'            => defined( 'BRIDGE_URL' ) ? (string) BRIDGE_URL : '',
			'key'            => defined( 'BRIDGE_API_KEY' ) ? (string) BRIDGE_API_KEY : '',
			'from_constants' => true,
		);
	}

	$option = get_option( BRIDGE_MAIL_OPTION, array() );
	return array(
		'url'            => is_array( $option ) && isset( $option['url'] ) ? (string) $option['url'] : '',
		'key'            => is_array( $option ) && isset( $option['key'] ) ? (string) $option['key'] : '',
		'from_constants' => false,
	);
}

/**
 * The pre_wp_mail filter: sends the mail through Bridge and returns wp_mail()'s result.
 *
 * @param null|bool $result Another filter's answer; a non-null one stands.
 * @param array     $atts   wp_mail()'s arguments after the wp_mail filter: to, subject, message, headers, attachments.
 * @return null|bool Null (not configured: WordPress sends as usual), true when Bridge queued the mail, false otherwise.
 */
function bridge_mail_pre_wp_mail( $result, $atts ) {
	if ( null !== $result ) {
		return $result;
	}

	$settings = bridge_mail_settings();
	if ( '' === $settings['url'] || '' === $settings['key'] ) {
		return null;
	}

	$mail_data = array(
		'to'          => isset( $atts['to'] ) ? $atts['to'] : array(),
		'subject'     => isset( $atts['subject'] ) ? $atts['subject'] : '',
		'message'     => isset( $atts['message'] ) ? $atts['message'] : '',
		'headers'     => isset( $atts['headers'] ) ? $atts['headers'] : array(),
		'attachments' => isset( $atts['attachments'] ) ? $atts['attachments'] : array(),
	);

	$request = bridge_mail_build_request( $mail_data );
	if ( is_wp_error( $request ) ) {
		return bridge_mail_fail( $request->get_error_message(), $mail_data, array( 'bridge_error' => $request->get_error_code() ) );
	}

	$body = wp_json_encode( $request );
	if ( false === $body ) {
		return bridge_mail_fail( __( 'Bridge Mail could not encode the message as JSON (is it valid UTF-8?).', 'bridge-mail' ), $mail_data, array() );
	}

	// wp_remote_post, not wp_safe_remote_post: the URL is the administrator's own setting, and a Bridge on a private
	// network or a port other than 80/443 is an ordinary set-up.
	$response = wp_remote_post(
		untrailingslashit( $settings['url'] ) . '/v1/messages',
		array(
			/** Filters how long (seconds) to wait for Bridge's answer. */
			'timeout'     => (int) apply_filters( 'bridge_mail_timeout', 15 ),
			'redirection' => 0,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $settings['key'],
				'Content-Type'  => 'application/json',
				'Accept'        => 'application/json, application/problem+json',
			),
			'body'        => $body,
			'data_format' => 'body',
		)
	);

	if ( is_wp_error( $response ) ) {
		/* translators: %s: the transport's error message */
		$message = sprintf( __( 'Bridge could not be reached: %s', 'bridge-mail' ), $response->get_error_message() );
		return bridge_mail_fail( $message, $mail_data, array( 'bridge_error' => $response->get_error_code() ) );
	}

	$status = (int) wp_remote_retrieve_response_code( $response );
	$answer = json_decode( wp_remote_retrieve_body( $response ), true );
	if ( 202 === $status ) {
		$mail_data['bridge_message_id'] = is_array( $answer ) && isset( $answer['id'] ) ? (string) $answer['id'] : '';
		do_action( 'wp_mail_succeeded', $mail_data );
		return true;
	}

	// Not a problem+json answer (a proxy's 502 page, say): its reason phrase stands in for the title.
	$problem = is_array( $answer ) ? $answer : array( 'title' => (string) wp_remote_retrieve_response_message( $response ) );
	return bridge_mail_fail( bridge_mail_describe_problem( $status, $problem ), $mail_data, array( 'bridge_status' => $status, 'bridge_problem' => $problem ) );
}

/**
 * Fires wp_mail_failed as wp_mail() does (code wp_mail_failed, its arguments as the data), so logging plugins see
 * Bridge's refusal, and returns wp_mail()'s false.
 *
 * @param string $message   What went wrong; never holds the API key.
 * @param array  $mail_data wp_mail()'s arguments.
 * @param array  $extra     Bridge's status and problem, or the local error's code.
 * @return false
 */
function bridge_mail_fail( $message, array $mail_data, array $extra ) {
	do_action( 'wp_mail_failed', new WP_Error( 'wp_mail_failed', $message, array_merge( $mail_data, $extra ) ) );
	return false;
}

/**
 * One line from Bridge's problem+json: status, title, detail and each field's errors.
 *
 * @param int   $status  The HTTP status.
 * @param array $problem The decoded problem (empty when the body was not JSON).
 * @return string
 */
function bridge_mail_describe_problem( $status, array $problem ) {
	$parts = array( sprintf( 'Bridge refused the message (HTTP %d):', $status ) );
	foreach ( array( 'title', 'detail' ) as $member ) {
		if ( isset( $problem[ $member ] ) && is_string( $problem[ $member ] ) && '' !== $problem[ $member ] ) {
			$parts[] = $problem[ $member ];
		}
	}

	if ( isset( $problem['errors'] ) && is_array( $problem['errors'] ) ) {
		foreach ( $problem['errors'] as $field => $messages ) {
			$parts[] = $field . ': ' . implode( '; ', array_map( 'strval', (array) $messages ) ) . '.';
		}
	}

	return implode( ' ', $parts );
}

/**
 * Turns wp_mail()'s arguments into Bridge's send request, reading the headers as wp_mail() does.
 *
 * @param array $mail_data to, subject, message, headers, attachments.
 * @return array|WP_Error The request, or an error naming what cannot be sent (an unreadable attachment).
 */
function bridge_mail_build_request( array $mail_data ) {
	$parsed = bridge_mail_parse_headers( $mail_data['headers'] );

	$from_name = null !== $parsed['from_name'] ? $parsed['from_name'] : 'WordPress';
	$from_email = $parsed['from_email'];
	if ( null === $from_email ) {
		// wp_mail()'s default: wordpress@ the site's host without "www.".
		$sitename   = wp_parse_url( network_home_url(), PHP_URL_HOST );
		$from_email = 'wordpress@';
		if ( null !== $sitename ) {
			$from_email .= 'www.' === substr( $sitename, 0, 4 ) ? substr( $sitename, 4 ) : $sitename;
		}
	}

	/** This filter is documented in wp-includes/pluggable.php */
	$from_email = apply_filters( 'wp_mail_from', $from_email );
	/** This filter is documented in wp-includes/pluggable.php */
	$from_name = apply_filters( 'wp_mail_from_name', $from_name );
	/** This filter is documented in wp-includes/pluggable.php */
	$content_type = apply_filters( 'wp_mail_content_type', null !== $parsed['content_type'] ? $parsed['content_type'] : 'text/plain' );
	/** This filter is documented in wp-includes/pluggable.php */
	$charset = apply_filters( 'wp_mail_charset', null !== $parsed['charset'] ? $parsed['charset'] : get_bloginfo( 'charset' ) );

	$message = (string) $mail_data['message'];
	if ( '' !== $charset && 'utf-8' !== strtolower( $charset ) && function_exists( 'mb_convert_encoding' ) ) {
		// Bridge's JSON is UTF-8; the body was written in the blog's charset.
		$message = mb_convert_encoding( $message, 'UTF-8', $charset );
	}

	$to = $mail_data['to'];
	if ( ! is_array( $to ) ) {
		$to = explode( ',', (string) $to );
	}

	$request = array(
		'from'    => array(
			'email' => trim( (string) $from_email ),
			'name'  => '' === trim( (string) $from_name ) ? null : trim( (string) $from_name ),
		),
		'to'      => bridge_mail_addresses( $to ),
		'subject' => (string) $mail_data['subject'],
	);
	foreach ( array( 'cc' => 'cc', 'bcc' => 'bcc', 'replyTo' => 'reply_to' ) as $field => $key ) {
		$addresses = bridge_mail_addresses( $parsed[ $key ] );
		if ( array() !== $addresses ) {
			$request[ $field ] = $addresses;
		}
	}

	$request[ 'text/html' === $content_type ? 'html' : 'text' ] = $message;

	if ( array() !== $parsed['headers'] ) {
		$request['headers'] = $parsed['headers'];
	}

	$attachments = bridge_mail_attachments( $mail_data['attachments'] );
	if ( is_wp_error( $attachments ) ) {
		return $attachments;
	}

	if ( array() !== $attachments ) {
		$request['attachments'] = $attachments;
	}

	/**
	 * Filters the request sent to Bridge (add tags, metadata or a profile).
	 *
	 * @param array $request   The send request (see Bridge's docs/api.md).
	 * @param array $mail_data wp_mail()'s arguments.
	 */
	return apply_filters( 'bridge_mail_request', $request, $mail_data );
}

/**
 * Reads wp_mail()'s headers (a string of lines or an array of lines) the way wp_mail() does.
 *
 * @param string|array $headers The headers.
 * @return array{from_name: ?string, from_email: ?string, content_type: ?string, charset: ?string, cc: array, bcc: array, reply_to: array, headers: array<string, string>}
 */
function bridge_mail_parse_headers( $headers ) {
	$parsed = array(
		'from_name'    => null,
		'from_email'   => null,
		'content_type' => null,
		'charset'      => null,
		'cc'           => array(),
		'bcc'          => array(),
		'reply_to'     => array(),
		'headers'      => array(),
	);
	if ( empty( $headers ) ) {
		return $parsed;
	}

	$lines = is_array( $headers ) ? $headers : explode( "\n", str_replace( "\r\n", "\n", (string) $headers ) );
	foreach ( $lines as $line ) {
		if ( false === strpos( (string) $line, ':' ) ) {
			continue;
		}

		list( $name, $content ) = explode( ':', trim( (string) $line ), 2 );
		$name    = trim( $name );
		$content = trim( $content );
		switch ( strtolower( $name ) ) {
			case 'from':
				$bracket = strpos( $content, '<' );
				if ( false !== $bracket ) {
					if ( $bracket > 0 ) {
						$parsed['from_name'] = trim( str_replace( '"', '', substr( $content, 0, $bracket ) ) );
					}
					$parsed['from_email'] = trim( str_replace( '>', '', substr( $content, $bracket + 1 ) ) );
				} elseif ( '' !== $content ) {
					$parsed['from_email'] = $content;
				}
				break;
			case 'content-type':
				$parts = explode( ';', $content );
				if ( '' !== trim( $parts[0] ) ) {
					$parsed['content_type'] = strtolower( trim( $parts[0] ) );
				}
				foreach ( array_slice( $parts, 1 ) as $parameter ) {
					if ( false !== stripos( $parameter, 'charset=' ) ) {
						$parsed['charset'] = trim( str_ireplace( array( 'charset=', '"' ), '', $parameter ) );
					}
				}
				break;
			case 'cc':
			case 'bcc':
			case 'reply-to':
				$key            = str_replace( '-', '_', strtolower( $name ) );
				$parsed[ $key ] = array_merge( $parsed[ $key ], explode( ',', $content ) );
				break;
			default:
				// Bridge writes these itself (or refuses them), and a Content-* header belongs to the body it composes.
				if ( ! in_array( strtolower( $name ), BRIDGE_MAIL_RESERVED_HEADERS, true ) && 0 !== stripos( $name, 'content-' ) ) {
					$parsed['headers'][ $name ] = $content;
				}
				break;
		}
	}

	return $parsed;
}

/**
 * Bridge's address objects from wp_mail()'s "Name <address>" or bare-address strings; blanks are skipped.
 *
 * @param array $addresses The addresses.
 * @return array<int, array{email: string, name: ?string}>
 */
function bridge_mail_addresses( array $addresses ) {
	$result = array();
	foreach ( $addresses as $address ) {
		$address = trim( (string) $address );
		if ( '' === $address ) {
			continue;
		}

		if ( preg_match( '/^(.*)<(.+)>\s*$/', $address, $matches ) ) {
			$name     = trim( str_replace( '"', '', $matches[1] ) );
			$result[] = array(
				'email' => trim( $matches[2] ),
				'name'  => '' === $name ? null : $name,
			);
		} else {
			$result[] = array(
				'email' => $address,
				'name'  => null,
			);
		}
	}

	return $result;
}

/**
 * Bridge's attachments (base64 content) from wp_mail()'s file paths; a string key names the file (WordPress 6.2+).
 * An unreadable file fails the mail rather than being left out, so nobody gets a mail without what it promised.
 *
 * @param string|array $attachments The paths (a string is one path a line).
 * @return array|WP_Error
 */
function bridge_mail_attachments( $attachments ) {
	if ( empty( $attachments ) ) {
		return array();
	}

	if ( ! is_array( $attachments ) ) {
		$attachments = explode( "\n", str_replace( "\r\n", "\n", (string) $attachments ) );
	}

	$result = array();
	foreach ( $attachments as $name => $path ) {
		$path = trim( (string) $path );
		if ( '' === $path ) {
			continue;
		}

		$content = is_file( $path ) && is_readable( $path ) ? file_get_contents( $path ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file.
		if ( false === $content ) {
			/* translators: %s: the attachment's file name */
			return new WP_Error( 'bridge_mail_attachment', sprintf( __( 'Bridge Mail could not read the attachment %s.', 'bridge-mail' ), wp_basename( $path ) ) );
		}

		$filename = is_string( $name ) && '' !== trim( $name ) ? trim( $name ) : wp_basename( $path );
		$type     = wp_check_filetype( $filename );
		$result[] = array(
			'filename'    => $filename,
			'contentType' => $type['type'] ? $type['type'] : 'application/octet-stream',
			'content'     => base64_encode( $content ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- Bridge's API takes attachments as base64.
		);
	}

	return $result;
}

/** Adds Settings → Bridge Mail. */
function bridge_mail_admin_menu() {
	add_options_page( __( 'Bridge Mail', 'bridge-mail' ), __( 'Bridge Mail', 'bridge-mail' ), 'manage_options', 'bridge-mail', 'bridge_mail_render_settings_page' );
}

/** Registers the option; options.php checks the nonce and the manage_options capability before saving it. */
function bridge_mail_register_setting() {
	register_setting(
		'bridge_mail',
		BRIDGE_MAIL_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'bridge_mail_sanitize_settings',
			'show_in_rest'      => false,
			'default'           => array(),
		)
	);
}

/**
 * Keeps an http(s) URL and the key; an empty key field keeps the stored key, which the page never shows.
 *
 * @param mixed $input The submitted values.
 * @return array
 */
function bridge_mail_sanitize_settings( $input ) {
	$stored = get_option( BRIDGE_MAIL_OPTION, array() );
	$stored = is_array( $stored ) ? $stored : array();
	$input  = is_array( $input ) ? $input : array();

	$url = isset( $input['url'] ) ? esc_url_raw( trim( (string) $input['url'] ), array( 'http', 'https' ) ) : '';
	if ( isset( $input['url'] ) && '' !== trim( (string) $input['url'] ) && '' === $url ) {
		add_settings_error( BRIDGE_MAIL_OPTION, 'bridge_mail_url', __( 'The Bridge URL must be an http or https URL.', 'bridge-mail' ) );
	}

	$key = isset( $input['key'] ) ? trim( sanitize_text_field( (string) $input['key'] ) ) : '';
	if ( '' === $key && isset( $stored['key'] ) ) {
		$key = (string) $stored['key'];
	}

	return array(
		'url' => untrailingslashit( $url ),
		'key' => $key,
	);
}

/** Settings → Bridge Mail: the URL and key, read-only when wp-config.php sets them. */
function bridge_mail_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to manage options for this site.', 'bridge-mail' ), 403 );
	}

	$settings = bridge_mail_settings();
	?>
	<div class="wrap">
		<h1><?php echo esc_html__( 'Bridge Mail', 'bridge-mail' ); ?></h1>
		<?php if ( $settings['from_constants'] ) : ?>
			<p><?php echo esc_html__( 'BRIDGE_URL and BRIDGE_API_KEY are set in wp-config.php; change them there.', 'bridge-mail' ); ?></p>
			<p><?php echo esc_html__( 'Bridge URL:', 'bridge-mail' ); ?> <code><?php echo esc_html( $settings['url'] ); ?></code></p>
		<?php else : ?>
			<?php settings_errors( BRIDGE_MAIL_OPTION ); ?>
			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php settings_fields( 'bridge_mail' ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="bridge-mail-url"><?php echo esc_html__( 'Bridge URL', 'bridge-mail' ); ?></label></th>
						<td>
							<input type="url" class="regular-text" id="bridge-mail-url" name="<?php echo esc_attr( BRIDGE_MAIL_OPTION ); ?>[url]" value="<?php echo esc_attr( $settings['url'] ); ?>" placeholder="https://bridge.example.net/api" />
							<p class="description"><?php echo esc_html__( 'The API base, including /api.', 'bridge-mail' ); ?></p>
						</td>
					</tr>
					<tr>
						<th scope="row"><label for="bridge-mail-key"><?php echo esc_html__( 'API key', 'bridge-mail' ); ?></label></th>
						<td>
							<input type="password" class="regular-text" id="bridge-mail-key" name="<?php echo esc_attr( BRIDGE_MAIL_OPTION ); ?>[key]" value="" autocomplete="new-password" />
							<p class="description">
								<?php
								echo esc_html(
									'' === $settings['key']
										? __( 'A Bridge key with the send scope.', 'bridge-mail' )
										: __( 'A key is saved; leave this empty to keep it.', 'bridge-mail' )
								);
								?>
							</p>
						</td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		<?php endif; ?>
	</div>
	<?php
}
