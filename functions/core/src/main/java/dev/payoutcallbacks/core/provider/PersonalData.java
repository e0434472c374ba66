package dev.payoutcallbacks.core.provider;

import java.util.Set;

/** Field names that carry personal data in payout payloads; masked before anything is stored or logged. */
public final class PersonalData {
    /** Common names across providers; a provider adds its own in its translation. */
    public static final Set<String> COMMON_FIELDS = Set.of(
            "name", "firstName", "lastName", "fullName", "first_name", "last_name", "full_name",
            "email", "phone", "mobile", "phoneNumber", "phone_number",
            "accountNumber", "account_number", "accountNo", "bankAccount", "bank_account",
            "ifsc", "vpa", "pixKey", "pix_key", "document", "taxId", "tax_id", "cpf", "cnpj",
            "beneficiaryName", "beneficiary_name", "address");

    private PersonalData() {
    }
}
