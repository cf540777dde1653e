// Trusted contacts: list, add, edit, remove, send a test. The core validates
// numbers and addresses; the screen shows which field was refused.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.ContactTriggers
import org.parasol.core.TrustedContact
import org.parasol.core.TrustedContactInput

/** The contact form as typed (blank optional fields mean "none"). */
data class ContactForm(
    val name: String,
    val phone: String = "",
    val webhookUrl: String = "",
    val language: String = "",
    val button: Boolean = true,
    val missedCheckIn: Boolean = true,
    val duress: Boolean = true,
) {
    /** The input the core validates. */
    fun toInput() = TrustedContactInput(
        name = name.trim(),
        language = language.trim(),
        phone = phone.trim().ifEmpty { null },
        webhookUrl = webhookUrl.trim().ifEmpty { null },
        pushUrl = null,
        pushToken = null,
        triggers = ContactTriggers(button = button, missedCheckIn = missedCheckIn, duress = duress),
    )
}

/** Drives the contacts screen. */
class ContactsPresenter(private val alerts: AlertsClient) {
    private val _contacts = MutableStateFlow<List<TrustedContact>>(emptyList())
    private val _error = MutableStateFlow<UiError?>(null)

    /** The contacts, in the core's order. */
    val contacts: StateFlow<List<TrustedContact>> = _contacts.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** Reloads the list. */
    suspend fun load() = guard { _contacts.value = alerts.contacts() }

    /** Adds a contact; returns it, or null if the core refused the form. */
    suspend fun add(form: ContactForm): TrustedContact? {
        var added: TrustedContact? = null
        guard {
            added = alerts.addContact(form.toInput())
            _contacts.value = alerts.contacts()
        }
        return added
    }

    /** Replaces a contact's details. */
    suspend fun update(id: String, form: ContactForm) = guard {
        alerts.updateContact(id, form.toInput())
        _contacts.value = alerts.contacts()
    }

    /** Removes a contact. */
    suspend fun remove(id: String) = guard {
        alerts.removeContact(id)
        _contacts.value = alerts.contacts()
    }

    /** Sends a test message now (queued, then flushed). */
    suspend fun sendTest(id: String) = guard {
        alerts.testContact(id)
        alerts.flushOutbox()
    }

    private suspend fun guard(block: suspend () -> Unit) {
        _error.value = null
        attempt(block).onFailure { _error.value = it.toUiError() }
    }
}
