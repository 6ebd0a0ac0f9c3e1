/* narrate read-along player: plays the narration and highlights the sentence being
   spoken. No dependencies, no requests besides the audio; safe to include twice. */
(function () {
  "use strict";

  var SKIP = 15;
  var mediaKeysOwner = null;
  var PLACE_MARGIN = 5;
  var PLACE_EVERY = 5;
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(whole / 3600);
    var m = Math.floor(whole / 60) % 60;
    var s = whole % 60;
    var mm = h && m < 10 ? "0" + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function timed(element) {
    return {
      el: element,
      start: parseFloat(element.getAttribute("data-start")),
      end: parseFloat(element.getAttribute("data-end"))
    };
  }

  /* The timed elements under root (sentences or chapters), in time order. */
  function collect(root, selector) {
    var found = Array.prototype.map.call(root.querySelectorAll(selector), timed);
    return found
      .filter(function (item) { return !isNaN(item.start); })
      .sort(function (a, b) { return a.start - b.start; });
  }

  /* Index of the last item starting at or before t, or -1. */
  function indexAt(items, t) {
    var low = 0;
    var high = items.length - 1;
    var found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (items[middle].start <= t + 0.001) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  function inView(element) {
    var box = element.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    return box.top >= height * 0.1 && box.bottom <= height * 0.9;
  }

  function Player(root) {
    this.root = root;
    this.audio = root.querySelector(".narrate-audio");
    this.play = root.querySelector(".narrate-play");
    this.seek = root.querySelector(".narrate-seek");
    this.elapsed = root.querySelector(".narrate-elapsed");
    this.total = root.querySelector(".narrate-total");
    this.speed = root.querySelector(".narrate-speed");
    this.scope = root.closest("article") || document;
    this.sentences = collect(this.scope, ".narrate-s");
    if (!this.sentences.length && this.scope !== document) {
      this.scope = document;
      this.sentences = collect(document, ".narrate-s");
    }
    this.chapters = collect(root, ".narrate-chapter");
    this.duration = parseFloat(root.getAttribute("data-duration")) || 0;
    this.current = -1;
    this.started = false;
    this.dragging = false;
    this.frame = 0;
    this.keptAt = 0;
    this.bind();
    if (this.sentences.length) {
      this.sentences[0].el.setAttribute("tabindex", "0");
    }
  }

  Player.prototype.label = function (name) {
    return this.root.getAttribute("data-label-" + name) || name;
  };

  Player.prototype.bind = function () {
    var self = this;
    var audio = this.audio;
    this.play.addEventListener("click", function () { self.toggle(); });
    this.root.querySelector(".narrate-back").addEventListener("click", function () {
      self.jump(audio.currentTime - SKIP);
    });
    this.root.querySelector(".narrate-forward").addEventListener("click", function () {
      self.jump(audio.currentTime + SKIP);
    });
    this.speed.addEventListener("change", function () {
      audio.playbackRate = audio.defaultPlaybackRate = parseFloat(self.speed.value) || 1;
    });
    this.seek.addEventListener("input", function () {
      self.dragging = true;
      self.jump(parseFloat(self.seek.value));
    });
    this.seek.addEventListener("change", function () { self.dragging = false; });
    this.chapters.forEach(function (chapter) {
      chapter.el.addEventListener("click", function () { self.start(chapter.start); });
    });
    this.scope.addEventListener("click", function (event) { self.onSentence(event, false); });
    this.scope.addEventListener("keydown", function (event) { self.onSentence(event, true); });
    audio.addEventListener("play", function () { self.onPlay(true); });
    audio.addEventListener("pause", function () { self.onPlay(false); });
    audio.addEventListener("ended", function () { self.onPlay(false); });
    audio.addEventListener("timeupdate", function () { self.update(); });
    audio.addEventListener("error", function () { self.onError(); });
    audio.addEventListener("seeked", function () { self.update(); });
    audio.addEventListener("loadedmetadata", function () {
      if (isFinite(audio.duration) && audio.duration > 0) {
        self.duration = audio.duration;
        self.seek.max = String(audio.duration);
        self.total.textContent = clock(audio.duration);
      }
      self.restorePlace();
    });
    audio.addEventListener("pause", function () { self.keepPlace(); });
    audio.addEventListener("ended", function () { self.forgetPlace(); });
  };

  /* Where the reader stopped listening, kept in this browser (localStorage) per audio
     file, so coming back continues there. Near either end there is nothing to keep. */
  Player.prototype.placeKey = function () {
    return "narrate:place:" + (this.audio.currentSrc || this.audio.src);
  };

  Player.prototype.keepPlace = function () {
    var t = this.audio.currentTime;
    var end = this.duration || this.audio.duration || 0;
    if (t < PLACE_MARGIN || t > end - PLACE_MARGIN) {
      this.forgetPlace();
      return;
    }
    try {
      window.localStorage.setItem(this.placeKey(), String(Math.floor(t)));
    } catch (unavailable) { /* storage off or full: nothing to continue from */ }
  };

  Player.prototype.forgetPlace = function () {
    try {
      window.localStorage.removeItem(this.placeKey());
    } catch (unavailable) { /* storage off */ }
  };

  Player.prototype.restorePlace = function () {
    var saved = NaN;
    try {
      saved = parseFloat(window.localStorage.getItem(this.placeKey()));
    } catch (unavailable) { /* storage off */ }
    var end = this.duration || this.audio.duration || 0;
    if (saved >= PLACE_MARGIN && saved <= end - PLACE_MARGIN && this.audio.currentTime === 0) {
      this.audio.currentTime = saved;
      this.update();
    }
  };

  /* The audio is missing or unreadable: say so (role="alert"), and stop offering play. */
  Player.prototype.onError = function () {
    var message = this.root.querySelector(".narrate-error");
    if (message) {
      message.hidden = false;
    }
    this.play.disabled = true;
    this.onPlay(false);
  };

  Player.prototype.toggle = function () {
    if (this.audio.paused) {
      this.resume();
    } else {
      this.audio.pause();
    }
  };

  Player.prototype.resume = function () {
    var playing = this.audio.play();
    if (playing && playing.catch) {
      playing.catch(function () { /* refused (autoplay policy): stays paused */ });
    }
  };

  Player.prototype.jump = function (seconds) {
    var end = this.duration || this.audio.duration || 0;
    this.started = true;
    this.audio.currentTime = Math.max(0, end ? Math.min(seconds, end) : seconds);
    this.update();
  };

  Player.prototype.start = function (seconds) {
    this.jump(seconds);
    this.resume();
    this.reveal();
  };

  /* A click, or Enter/Space, on a sentence plays from it; arrows move between sentences. */
  Player.prototype.onSentence = function (event, keyboard) {
    var target = event.target.closest ? event.target.closest(".narrate-s") : null;
    if (!target) {
      return;
    }
    var index = this.sentences.findIndex(function (item) { return item.el === target; });
    if (index < 0) {
      return;
    }
    var key = keyboard ? event.key : "Enter";
    if (key === "Enter" || key === " " || key === "Spacebar") {
      event.preventDefault();
      this.start(this.sentences[index].start);
    } else if (key === "ArrowDown" || key === "ArrowRight") {
      event.preventDefault();
      this.focusSentence(Math.min(index + 1, this.sentences.length - 1));
    } else if (key === "ArrowUp" || key === "ArrowLeft") {
      event.preventDefault();
      this.focusSentence(Math.max(index - 1, 0));
    }
  };

  Player.prototype.focusSentence = function (index) {
    this.sentences.forEach(function (item, number) {
      item.el.setAttribute("tabindex", number === index ? "0" : "-1");
    });
    this.sentences[index].el.focus();
  };

  Player.prototype.onPlay = function (playing) {
    this.started = this.started || playing;
    this.root.classList.toggle("narrate-playing", playing);
    this.play.setAttribute("aria-label", this.label(playing ? "pause" : "play"));
    this.announce(playing);
    window.cancelAnimationFrame(this.frame);
    if (playing) {
      this.tick();
    }
    this.update();
  };

  /* The system's media controls (lock screen, headset, keyboard media keys) drive the
     player that plays last: play/pause, 15 s back and forward, seek, chapters. */
  Player.prototype.announce = function (playing) {
    var session = navigator.mediaSession;
    if (!session || !window.MediaMetadata) {
      return;
    }
    if (playing) {
      this.takeMediaKeys(session);
    }
    if (mediaKeysOwner === this) {
      session.playbackState = playing ? "playing" : "paused";
    }
  };

  Player.prototype.takeMediaKeys = function (session) {
    var self = this;
    var audio = this.audio;
    mediaKeysOwner = this;
    session.metadata = new window.MediaMetadata({
      title: this.root.getAttribute("data-title") || document.title,
      artist: this.label("credit")
    });
    var actions = {
      play: function () { self.resume(); },
      pause: function () { audio.pause(); },
      seekbackward: function () { self.jump(audio.currentTime - SKIP); },
      seekforward: function () { self.jump(audio.currentTime + SKIP); },
      seekto: function (details) { self.jump(details.seekTime); },
      previoustrack: function () { self.chapter(-1); },
      nexttrack: function () { self.chapter(1); }
    };
    Object.keys(actions).forEach(function (action) {
      try {
        session.setActionHandler(action, actions[action]);
      } catch (unsupported) { /* this browser does not offer that control */ }
    });
  };

  /* To the start of the next chapter (+1), or of this one / the one before (-1). */
  Player.prototype.chapter = function (step) {
    var t = this.audio.currentTime;
    var index = indexAt(this.chapters, t);
    if (step < 0 && index >= 0 && t - this.chapters[index].start < 3) {
      index -= 1;
    }
    var target = this.chapters[Math.max(0, step > 0 ? index + 1 : index)];
    if (target) {
      this.start(target.start);
    }
  };

  /* While playing, follow the audio every frame (timeupdate alone lags by up to 250 ms). */
  Player.prototype.tick = function () {
    var self = this;
    this.frame = window.requestAnimationFrame(function () {
      self.update();
      if (!self.audio.paused) {
        self.tick();
      }
    });
  };

  Player.prototype.update = function () {
    var t = this.audio.currentTime;
    if (!this.audio.paused && Math.abs(t - this.keptAt) >= PLACE_EVERY) {
      this.keptAt = t;
      this.keepPlace();
    }
    var total = this.duration || this.audio.duration || 0;
    this.elapsed.textContent = clock(t);
    if (!this.dragging) {
      this.seek.value = String(t);
    }
    this.seek.setAttribute("aria-valuetext", clock(t) + " " + this.label("of") + " " + clock(total));
    this.highlight(this.started ? indexAt(this.sentences, t) : -1);
    this.markChapter(indexAt(this.chapters, t));
  };

  Player.prototype.highlight = function (index) {
    if (index === this.current) {
      return;
    }
    var previous = this.sentences[this.current];
    if (previous) {
      previous.el.classList.remove("narrate-current");
      previous.el.removeAttribute("aria-current");
    }
    this.current = index;
    var sentence = this.sentences[index];
    if (!sentence) {
      return;
    }
    sentence.el.classList.add("narrate-current");
    sentence.el.setAttribute("aria-current", "true");
    if (!this.audio.paused) {
      this.reveal();
    }
  };

  /* Scroll the current sentence to the middle when it is out of view. */
  Player.prototype.reveal = function () {
    var sentence = this.sentences[this.current];
    if (sentence && !inView(sentence.el)) {
      var smooth = !(motion && motion.matches);
      sentence.el.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
    }
  };

  Player.prototype.markChapter = function (index) {
    this.chapters.forEach(function (chapter, number) {
      if (number === index) {
        chapter.el.setAttribute("aria-current", "true");
      } else {
        chapter.el.removeAttribute("aria-current");
      }
    });
  };

  function init() {
    var players = document.querySelectorAll(".narrate-player:not([data-narrate-ready])");
    Array.prototype.forEach.call(players, function (root) {
      root.setAttribute("data-narrate-ready", "");
      root.narratePlayer = new Player(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
