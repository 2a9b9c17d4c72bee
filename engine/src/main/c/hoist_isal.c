/*
 * JNI binding of ISA-L's deflate and inflate (igzip) for hoist.engine.compress.IsalDeflate.
 *
 * Deflate works on whole blocks: each call compresses one block of input, primed with the
 * previous block's last 32 KiB as dictionary, into raw deflate ending with a sync flush (an empty
 * stored block), so blocks compressed on different threads join into one deflate stream.
 * Inflate is streaming: a gzip stream (RFC 1952) is fed in pieces; ISA-L parses the header,
 * keeps the window between calls and verifies the trailer's CRC-32 and size.
 *
 * Java arrays are reached with GetPrimitiveArrayCritical: no copy, and no JNI call or
 * allocation happens while they are held.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>

struct deflater {
    struct isal_zstream stream;
    uint32_t level;
    uint32_t level_buf_size;
    uint8_t *level_buf;
};

static uint32_t level_buffer_size(int level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}

JNIEXPORT jlong JNICALL Java_hoist_engine_compress_IsalDeflate_newDeflater(JNIEnv *env, jclass cls, jint level) {
    (void) env; (void) cls;
    if (level < 0 || level > ISAL_DEF_MAX_LEVEL) {
        return 0;
    }
    struct deflater *d = calloc(1, sizeof(struct deflater));
    if (d == NULL) {
        return 0;
    }
    d->level = (uint32_t) level;
    d->level_buf_size = level_buffer_size(level);
    if (d->level_buf_size > 0) {
        d->level_buf = malloc(d->level_buf_size);
        if (d->level_buf == NULL) {
            free(d);
            return 0;
        }
    }
    isal_deflate_init(&d->stream);
    return (jlong) (intptr_t) d;
}

JNIEXPORT void JNICALL Java_hoist_engine_compress_IsalDeflate_freeDeflater(JNIEnv *env, jclass cls, jlong handle) {
    (void) env; (void) cls;
    struct deflater *d = (struct deflater *) (intptr_t) handle;
    if (d != NULL) {
        free(d->level_buf);
        free(d);
    }
}

/*
 * Compresses in[0..inLength) to out, primed with dict[0..dictLength). Returns the bytes written,
 * -1 when out is too small (the caller retries with a larger one), -2 on any other failure.
 */
JNIEXPORT jint JNICALL Java_hoist_engine_compress_IsalDeflate_deflateBlock(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray dict, jint dictLength, jbyteArray in, jint inLength, jbyteArray out, jint outCapacity) {
    (void) cls;
    struct deflater *d = (struct deflater *) (intptr_t) handle;
    struct isal_zstream *s = &d->stream;
    isal_deflate_reset(s);
    s->level = d->level;
    s->level_buf = d->level_buf;
    s->level_buf_size = d->level_buf_size;
    s->gzip_flag = IGZIP_DEFLATE;
    s->flush = SYNC_FLUSH;
    s->end_of_stream = 0;

    uint8_t *dict_bytes = NULL, *in_bytes = NULL, *out_bytes = NULL;
    jint result = -2;
    if (dictLength > 0) {
        dict_bytes = (*env)->GetPrimitiveArrayCritical(env, dict, NULL);
        if (dict_bytes == NULL) goto done;
    }
    in_bytes = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (in_bytes == NULL) goto done;
    out_bytes = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (out_bytes == NULL) goto done;

    if (dictLength > 0 && isal_deflate_set_dict(s, dict_bytes, (uint32_t) dictLength) != COMP_OK) goto done;
    s->next_in = in_bytes;
    s->avail_in = (uint32_t) inLength;
    s->next_out = out_bytes;
    s->avail_out = (uint32_t) outCapacity;
    if (isal_deflate(s) != COMP_OK) goto done;
    if (s->avail_in != 0 || s->internal_state.state != ZSTATE_NEW_HDR || s->avail_out == 0) {
        result = -1;
    } else {
        result = (jint) ((uint32_t) outCapacity - s->avail_out);
    }
done:
    if (out_bytes != NULL) (*env)->ReleasePrimitiveArrayCritical(env, out, out_bytes, 0);
    if (in_bytes != NULL) (*env)->ReleasePrimitiveArrayCritical(env, in, in_bytes, JNI_ABORT);
    if (dict_bytes != NULL) (*env)->ReleasePrimitiveArrayCritical(env, dict, dict_bytes, JNI_ABORT);
    return result;
}

JNIEXPORT jlong JNICALL Java_hoist_engine_compress_IsalDeflate_newInflater(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    struct inflate_state *state = malloc(sizeof(struct inflate_state));
    if (state == NULL) {
        return 0;
    }
    isal_inflate_init(state);
    state->crc_flag = ISAL_GZIP;
    return (jlong) (intptr_t) state;
}

JNIEXPORT void JNICALL Java_hoist_engine_compress_IsalDeflate_resetInflater(JNIEnv *env, jclass cls, jlong handle) {
    (void) env; (void) cls;
    struct inflate_state *state = (struct inflate_state *) (intptr_t) handle;
    isal_inflate_reset(state);
    state->crc_flag = ISAL_GZIP;
}

JNIEXPORT void JNICALL Java_hoist_engine_compress_IsalDeflate_freeInflater(JNIEnv *env, jclass cls, jlong handle) {
    (void) env; (void) cls;
    free((void *) (intptr_t) handle);
}

/*
 * Inflates from in[inOffset..inOffset+inLength) into out[outOffset..outOffset+outLength).
 * counts receives {bytes consumed, bytes produced, 1 when the gzip member ended (trailer
 * verified) else 0}. Returns 0, or ISA-L's negative error code.
 */
JNIEXPORT jint JNICALL Java_hoist_engine_compress_IsalDeflate_inflate(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray in, jint inOffset, jint inLength, jbyteArray out, jint outOffset, jint outLength, jintArray counts) {
    (void) cls;
    struct inflate_state *state = (struct inflate_state *) (intptr_t) handle;
    jint result[3] = {0, 0, 0};
    int status;
    uint8_t *in_bytes = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (in_bytes == NULL) return -100;
    uint8_t *out_bytes = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (out_bytes == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, in_bytes, JNI_ABORT);
        return -100;
    }
    state->next_in = in_bytes + inOffset;
    state->avail_in = (uint32_t) inLength;
    state->next_out = out_bytes + outOffset;
    state->avail_out = (uint32_t) outLength;
    status = isal_inflate(state);
    result[0] = inLength - (jint) state->avail_in;
    result[1] = outLength - (jint) state->avail_out;
    result[2] = state->block_state == ISAL_BLOCK_FINISH ? 1 : 0;
    (*env)->ReleasePrimitiveArrayCritical(env, out, out_bytes, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, in_bytes, JNI_ABORT);
    (*env)->SetIntArrayRegion(env, counts, 0, 3, result);
    return status < 0 ? status : 0;
}
