package dev.payoutcallbacks.m2money;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Callback bodies shaped as M2Money's sender writes them (PHP json_encode: compact, {@code /} escaped as
 * {@code \/}). Personal data is obviously fake; tests assert none of it is stored or logged.
 */
final class M2MoneyPayloads {
    static final String SECRET = "local-m2money-secret";

    static final String FIRST_NAME = "Testpayee";
    static final String LAST_NAME = "Fakesurname";
    static final String EMAIL = "payee.fake@example.invalid";
    static final String PHONE = "9876501234";
    static final String ACCOUNT_NUMBER = "50100999888777";
    static final String IFSC = "FAKE0001234";
    static final String VPA = "fakepayee@upi";
    static final List<String> PERSONAL_VALUES = List.of(FIRST_NAME, LAST_NAME, EMAIL, PHONE, ACCOUNT_NUMBER, IFSC, VPA);

    private M2MoneyPayloads() {
    }

    static String success(String clientRef, String amountJson) {
        return envelope("payout.transfer.success", "0x0200", "Transaction Successful",
                party(clientRef) + ",\"amount\":" + amountJson + ",\"status\":\"processed\",\"utr\":\"412345678901\""
                        + bank());
    }

    static String failed(String clientRef, String amountJson, String reasonJson) {
        return envelope("payout.transfer.failed", "0x0202", "Transaction Failed",
                party(clientRef) + ",\"amount\":" + amountJson + ",\"status\":\"failed\",\"reason\":" + reasonJson
                        + bank());
    }

    static String reversal(String event, String clientRef, String amountJson) {
        return envelope(event, "0x0207", "Transaction Reversed",
                party(clientRef) + ",\"amount\":" + amountJson
                        + ",\"status\":\"reversed\",\"reason\":\"Credit returned by beneficiary bank\",\"vpa\":\"" + VPA + "\"");
    }

    /** Any event, code and status, for mapping tests. Null code or status leaves the field out. */
    static String custom(String event, String code, String status, String clientRef, String amountJson) {
        return envelope(event, code, "Message",
                party(clientRef) + ",\"amount\":" + amountJson + (status == null ? "" : ",\"status\":\"" + status + "\""));
    }

    static String envelope(String event, String code, String message, String dataFields) {
        return "{\"event\":\"" + event + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"")
                + ",\"message\":\"" + message + "\",\"data\":{" + dataFields + "}}";
    }

    private static String party(String clientRef) {
        return "\"orderRefId\":\"REF" + Math.abs(clientRef.hashCode()) + "\",\"clientRefId\":\"" + clientRef + "\""
                + ",\"contactId\":\"CONT_0001TEST\",\"firstName\":\"" + FIRST_NAME + "\",\"lastName\":\"" + LAST_NAME
                + "\",\"email\":\"" + EMAIL + "\",\"phone\":\"" + PHONE + "\"";
    }

    private static String bank() {
        return ",\"accountNumber\":\"" + ACCOUNT_NUMBER + "\",\"accountIFSC\":\"" + IFSC + "\"";
    }

    static String signature(String body) {
        return M2MoneyCallbacks.SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8), SECRET);
    }
}
