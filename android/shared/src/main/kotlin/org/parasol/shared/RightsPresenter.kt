// The rights screens: country and language, the booklet's sections, offline
// search, and the private self-check (answers held in memory only).
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.Booklet
import org.parasol.core.BookletSection
import org.parasol.core.CountryInfo
import org.parasol.core.SearchHit
import org.parasol.core.SelfCheckAnswer
import org.parasol.core.SelfCheckForm
import org.parasol.core.SelfCheckResult

/** What the rights screens show. */
data class RightsUiState(
    /** Countries, full booklets first (the core's order). */
    val countries: List<CountryInfo> = emptyList(),
    /** The chosen country. */
    val country: String? = null,
    /** Its booklet in the best language (check `fallback` and `reviewStatus`). */
    val booklet: Booklet? = null,
    /** The open section, if any. */
    val openSection: BookletSection? = null,
    /** The search text. */
    val query: String = "",
    /** Search results (empty when the query is blank). */
    val hits: List<SearchHit> = emptyList(),
)

/** Drives the rights screens. */
class RightsPresenter(private val parasol: ParasolClient) {
    private val _state = MutableStateFlow(RightsUiState())
    private val _error = MutableStateFlow<UiError?>(null)

    /** The screen state. */
    val state: StateFlow<RightsUiState> = _state.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** Loads the countries and, if the profile has one, its booklet. */
    suspend fun load() = guard {
        val countries = parasol.countries()
        val country = parasol.info().country
        _state.value = _state.value.copy(
            countries = countries,
            country = country,
            booklet = country?.let { parasol.booklet(it) },
        )
    }

    /** Chooses the country (remembered in the profile) and opens its booklet. */
    suspend fun selectCountry(code: String) = guard {
        parasol.setCountry(code)
        _state.value = _state.value.copy(country = code, booklet = parasol.booklet(code), openSection = null, hits = emptyList())
    }

    /** Sets the reading languages (most preferred first) and reloads. */
    suspend fun selectLanguages(languages: List<String>) = guard {
        parasol.setLanguages(languages)
        val country = _state.value.country
        _state.value = _state.value.copy(
            countries = parasol.countries(),
            booklet = country?.let { parasol.booklet(it) },
            openSection = null,
        )
        if (_state.value.query.isNotBlank()) search(_state.value.query)
    }

    /** Opens a section of the current booklet. */
    fun openSection(id: String) {
        _state.value = _state.value.copy(openSection = _state.value.booklet?.sections?.firstOrNull { it.id == id })
    }

    /** Back from a section. */
    fun closeSection() {
        _state.value = _state.value.copy(openSection = null)
    }

    /** Searches the chosen country (or all) in the user's languages; blank clears. */
    suspend fun search(query: String) {
        _state.value = _state.value.copy(query = query)
        if (query.isBlank()) {
            _state.value = _state.value.copy(hits = emptyList())
            return
        }
        guard { _state.value = _state.value.copy(hits = parasol.search(query.trim(), _state.value.country)) }
    }

    /** Opens a search result (switching country if needed). */
    suspend fun openHit(hit: SearchHit) = guard {
        val b = parasol.section(hit.country, hit.sectionId)
        val booklet = if (hit.country == _state.value.country) _state.value.booklet else parasol.booklet(hit.country)
        _state.value = _state.value.copy(
            country = hit.country,
            booklet = booklet,
            openSection = b.sections.firstOrNull(),
        )
    }

    private suspend fun guard(block: suspend () -> Unit) {
        _error.value = null
        attempt(block).onFailure { _error.value = it.toUiError() }
    }
}

/** The self-check, one question at a time. Answers never leave memory. */
sealed interface SelfCheckUiState {
    /** Not loaded yet. */
    data object NotStarted : SelfCheckUiState

    /** The intro and caveat, before the first question. */
    data class Intro(val form: SelfCheckForm) : SelfCheckUiState

    /** Question [index] of [count]; [answer] is what was chosen before, if anything. */
    data class Question(val form: SelfCheckForm, val index: Int, val count: Int, val answer: Boolean?) : SelfCheckUiState

    /** The result (never a verdict), with helplines to offer. */
    data class Result(val result: SelfCheckResult) : SelfCheckUiState
}

/** Drives the self-check flow. [clear] forgets every answer (also on leaving the screen). */
class SelfCheckPresenter(private val parasol: ParasolClient) {
    private val _state = MutableStateFlow<SelfCheckUiState>(SelfCheckUiState.NotStarted)
    private val _error = MutableStateFlow<UiError?>(null)
    private val answers = LinkedHashMap<String, Boolean>()
    private var form: SelfCheckForm? = null
    private var index = 0

    /** The screen state. */
    val state: StateFlow<SelfCheckUiState> = _state.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** Number of answers held (for tests and the "answered" counter). */
    val answeredCount: Int get() = answers.size

    /** Loads the questionnaire in the user's best language. */
    suspend fun start() {
        clear()
        attempt { parasol.selfcheck() }
            .onSuccess { form = it; _state.value = SelfCheckUiState.Intro(it) }
            .onFailure { _error.value = it.toUiError() }
    }

    /** From the intro to the first question. */
    fun begin() = show(0)

    /** Answers the current question (yes/no) and moves on. */
    fun answer(yes: Boolean) {
        val f = form ?: return
        val q = f.questions.getOrNull(index) ?: return
        answers[q.id] = yes
        show(index + 1)
    }

    /** Leaves the current question unanswered and moves on. */
    fun skip() {
        val f = form ?: return
        f.questions.getOrNull(index)?.let { answers.remove(it.id) }
        show(index + 1)
    }

    /** Back one question. */
    fun back() = show((index - 1).coerceAtLeast(0))

    /** Scores the answers for someone in [country]; nothing is stored. */
    suspend fun finish(country: String) {
        val list = answers.map { (id, yes) -> SelfCheckAnswer(id, yes) }
        attempt { parasol.scoreSelfcheck(list, country) }
            .onSuccess { _state.value = SelfCheckUiState.Result(it) }
            .onFailure { _error.value = it.toUiError() }
    }

    /** Forgets every answer and returns to the start. */
    fun clear() {
        answers.clear()
        index = 0
        _state.value = form?.let { SelfCheckUiState.Intro(it) } ?: SelfCheckUiState.NotStarted
    }

    private fun show(i: Int) {
        val f = form ?: return
        index = i.coerceAtMost(f.questions.size)
        if (index >= f.questions.size) {
            _state.value = SelfCheckUiState.Question(f, f.questions.size, f.questions.size, null)
            return
        }
        _state.value = SelfCheckUiState.Question(f, index, f.questions.size, answers[f.questions[index].id])
    }
}
